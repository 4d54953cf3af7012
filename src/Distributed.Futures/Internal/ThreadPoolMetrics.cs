using System.Diagnostics.Metrics;

namespace Distributed.Futures.Internal;

/// <summary>
/// What the thread pool executors of this process measure, on the library's meter
/// (<c>Distributed.Futures</c>): tasks submitted, and tasks completed by outcome.
/// </summary>
/// <remarks>
/// The instruments are the pools' (Distributed.Remoting's ClientMetrics) under the same names,
/// kind, unit and description, so an SDK merges them into one stream per name; a synchronous
/// counter of the same name would conflict with those observable ones. Counted in fields only
/// while a listener has them enabled: one flag test per task otherwise.
/// </remarks>
internal static class ThreadPoolMetrics
{
    private static readonly string[] Outcomes = ["result", "exception", "canceled"];

    // The meter's name is DistributedTelemetry.MeterName; this assembly depends on nothing to say so.
    private static readonly Meter Meter = new("Distributed.Futures");
    private static readonly KeyValuePair<string, object?> Executor = new("distributed.executor", "thread_pool");

    // Written by every pool thread: each in the middle of its own array, so they share no cache line.
    private const int Pad = 8;
    private static readonly long[] SubmittedCount = new long[(2 * Pad) + 1];
    private static readonly long[] CompletedCounts = new long[(2 * Pad) + 3];

    private static readonly ObservableCounter<long> SubmittedCounter = Meter.CreateObservableCounter(
        "distributed.client.tasks.submitted",
        () => new Measurement<long>(Volatile.Read(ref SubmittedCount[Pad]), Executor),
        "{task}",
        "Tasks this process submitted, by executor (thread_pool, process_pool, remote).");

    private static readonly ObservableCounter<long> CompletedCounter = Meter.CreateObservableCounter(
        "distributed.client.tasks.completed",
        () => Outcomes.Select((outcome, i) => new Measurement<long>(Volatile.Read(ref CompletedCounts[Pad + i]), Executor, new("outcome", outcome))),
        "{task}",
        "Tasks whose outcome reached this process, by executor and outcome (result, exception, canceled, worker_lost, timeout, rejected, broken).");

    public static void Submitted()
    {
        if (SubmittedCounter.Enabled)
        {
            Interlocked.Increment(ref SubmittedCount[Pad]);
        }
    }

    /// <param name="outcome">result, exception or canceled.</param>
    public static void Completed(string outcome)
    {
        if (CompletedCounter.Enabled)
        {
            Interlocked.Increment(ref CompletedCounts[Pad + Array.IndexOf(Outcomes, outcome)]);
        }
    }
}
