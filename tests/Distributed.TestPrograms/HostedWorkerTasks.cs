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

    /// <summary>Reads a result of <see cref="SquareAfterGate"/>: the square, and the pid of the process that ran it.</summary>
    public static (int Square, int Pid) ReadResult(string result)
    {
        int at = result.IndexOf('@', StringComparison.Ordinal);
        return (int.Parse(result[..at], System.Globalization.CultureInfo.InvariantCulture), int.Parse(result[(at + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }
}
