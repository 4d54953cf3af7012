namespace Distributed.Testing;

/// <summary>
/// The one limit every test wait uses: generous enough for a loaded CI machine, short enough that a
/// bug fails the test instead of hanging the run (grpc-dotnet's <c>DefaultTimeout()</c>).
/// </summary>
public static class TestTimeouts
{
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(30);

    public static Task DefaultTimeout(this Task task) => task.WaitAsync(Default);

    public static Task<T> DefaultTimeout<T>(this Task<T> task) => task.WaitAsync(Default);

    /// <summary>Blocks until <paramref name="condition"/> holds, failing after <see cref="Default"/>.</summary>
    /// <remarks>For state that offers no event to wait on (another process's table, say); it polls.</remarks>
    public static void WaitUntil(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var limit = timeout ?? Default;
        var deadline = DateTime.UtcNow + limit;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out after {limit} waiting until {what}.");
            }

            Thread.Sleep(10);
        }
    }
}
