using System.Collections.Concurrent;

namespace Distributed.Futures.Internal;

/// <summary>
/// Python joins its executors at interpreter exit, so work that was submitted is not lost when the
/// program ends without shutting them down. This is the same promise: executors with work in
/// flight register here, and when the process exits each finishes its queued work first.
/// </summary>
internal static class ProcessExitDrain
{
    private static readonly ConcurrentDictionary<Executor, byte> s_running = new();
    private static int s_installed;

    public static void Register(Executor executor)
    {
        s_running.TryAdd(executor, 0);
        if (Interlocked.Exchange(ref s_installed, 1) == 0)
        {
            AppDomain.CurrentDomain.ProcessExit += static (_, _) => FinishAll();
        }
    }

    public static void Unregister(Executor executor) => s_running.TryRemove(executor, out _);

    private static void FinishAll()
    {
        foreach (var executor in s_running.Keys)
        {
            executor.FinishWorkAtProcessExit();
        }
    }
}
