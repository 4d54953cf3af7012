using Distributed.Testing;

namespace Distributed.TestPrograms;

/// <summary>Tasks of this assembly, the hosted worker's own: they say which process ran them.</summary>
public static class HostedWorkerTasks
{
    /// <summary>Waits at the gate on <paramref name="port"/>, then returns <c>"{value²}@{pid}"</c>.</summary>
    public static string SquareAfterGate(int port, int value)
    {
        TestTasks.PassGate(port, value);
        return $"{value * value}@{Environment.ProcessId}";
    }
}
