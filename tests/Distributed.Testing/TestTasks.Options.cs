namespace Distributed.Testing;

/// <summary>Tasks for the per-task options tests: they leave their trace in a file, which every process can see.</summary>
public static partial class TestTasks
{
    /// <summary>
    /// Counts its attempts in <paramref name="counterFile"/> (one byte each) and throws
    /// <see cref="InvalidOperationException"/> on the first <paramref name="failures"/> of them;
    /// after that it returns the attempt's number.
    /// </summary>
    public static int FailUntilAttempt(string counterFile, int failures)
    {
        using (var file = new FileStream(counterFile, FileMode.Append, FileAccess.Write, FileShare.ReadWrite))
        {
            file.WriteByte(1);
        }

        int attempt = (int)new FileInfo(counterFile).Length;
        return attempt <= failures ? throw new InvalidOperationException($"attempt {attempt} failed") : attempt;
    }

    /// <summary>Throws <see cref="ArgumentException"/>, counting the attempt as <see cref="FailUntilAttempt"/> does.</summary>
    public static int FailWithArgument(string counterFile)
    {
        File.AppendAllText(counterFile, "x");
        throw new ArgumentException("not a retryable kind of failure");
    }

    /// <summary>Appends <paramref name="value"/> to <paramref name="orderFile"/> as one line: the order tasks ran in.</summary>
    public static int RecordRun(string orderFile, int value)
    {
        File.AppendAllText(orderFile, $"{value}\n");
        return value;
    }

    /// <summary>The lines <see cref="RecordRun"/> wrote, in order.</summary>
    public static IReadOnlyList<int> RecordedRuns(string orderFile) =>
        [.. File.ReadAllLines(orderFile).Select(int.Parse)];
}
