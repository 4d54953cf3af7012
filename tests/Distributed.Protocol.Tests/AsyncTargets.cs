namespace Distributed.Protocol.Tests;

/// <summary>Task functions of every shape, each ending after an await or already ended.</summary>
public static class AsyncTargets
{
    public static async Task<int> SquareAsync(int value)
    {
        await Task.Yield();
        return value * value;
    }

    public static Task<int> SquareDone(int value) => Task.FromResult(value * value);

    public static async ValueTask<string> EchoValueAsync(string value)
    {
        await Task.Yield();
        return value;
    }

    public static async Task NothingAsync(int value)
    {
        await Task.Yield();
        GC.KeepAlive(value);
    }

    public static ValueTask NothingDone(int value) => ValueTask.CompletedTask;

    public static async Task<int> ThrowAsync(string message)
    {
        await Task.Yield();
        throw new InvalidOperationException(message);
    }

    public static Task<int> ReturnsNull(int value) => null!;
}
