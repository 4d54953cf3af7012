using System.Diagnostics.Metrics;

namespace Distributed.Futures.Internal;

/// <summary>
/// What the thread pool executors of this process measure, on the library's meter
/// (<c>Distributed.Futures</c>): tasks submitted, and tasks completed by outcome. Each
/// measurement is one flag test while nobody listens.
/// </summary>
internal static class ThreadPoolMetrics
{
    // The meter's name is DistributedTelemetry.MeterName; this assembly depends on nothing to say so.
    private static readonly Meter Meter = new("Distributed.Futures");
    private static readonly KeyValuePair<string, object?> Executor = new("distributed.executor", "thread_pool");
    private static readonly Counter<long> SubmittedCounter = Meter.CreateCounter<long>(
        "distributed.client.tasks.submitted", "{task}", "Tasks this process submitted, by executor (thread_pool, process_pool, remote).");

    private static readonly Counter<long> CompletedCounter = Meter.CreateCounter<long>(
        "distributed.client.tasks.completed", "{task}", "Tasks whose outcome reached this process, by executor and outcome (result, exception, canceled, worker_lost, timeout, rejected, broken).");

    public static void Submitted()
    {
        if (SubmittedCounter.Enabled)
        {
            SubmittedCounter.Add(1, Executor);
        }
    }

    /// <param name="outcome">result, exception or canceled.</param>
    public static void Completed(string outcome)
    {
        if (CompletedCounter.Enabled)
        {
            CompletedCounter.Add(1, Executor, new KeyValuePair<string, object?>("outcome", outcome));
        }
    }
}
