using System.Diagnostics.Metrics;
using Distributed.Protocol;
using Distributed.Protocol.V1;

namespace Distributed.Remoting;

/// <summary>
/// What a process-pool or remote client measures, on the library's meter: tasks submitted, tasks
/// completed by outcome, and the bytes of the units it encoded and the outcomes it received, each
/// tagged with its executor (<c>distributed.executor</c>: process_pool or remote). The thread pool
/// executor counts its tasks under the same names. Nothing is computed while nobody listens.
/// </summary>
internal sealed class ClientMetrics
{
    private static readonly Meter Meter = new(DistributedTelemetry.MeterName);
    private static readonly Counter<long> SubmittedCounter = Meter.CreateCounter<long>(
        "distributed.client.tasks.submitted", "{task}", "Tasks this process submitted, by executor (thread_pool, process_pool, remote).");

    private static readonly Counter<long> CompletedCounter = Meter.CreateCounter<long>(
        "distributed.client.tasks.completed", "{task}", "Tasks whose outcome reached this process, by executor and outcome (result, exception, canceled, worker_lost, timeout, rejected, broken).");

    private static readonly Counter<long> BytesSentCounter = Meter.CreateCounter<long>(
        "distributed.client.bytes.sent", "By", "Bytes of the calls this process encoded for workers, by executor.");

    private static readonly Counter<long> BytesReceivedCounter = Meter.CreateCounter<long>(
        "distributed.client.bytes.received", "By", "Bytes of the outcomes this process received from workers, by executor.");

    private readonly KeyValuePair<string, object?> _executor;

    /// <param name="executor">process_pool or remote.</param>
    public ClientMetrics(string executor) => _executor = new("distributed.executor", executor);

    public static ClientMetrics ProcessPool { get; } = new("process_pool");

    public static ClientMetrics Remote { get; } = new("remote");

    /// <summary>A unit of <paramref name="items"/> went out, <paramref name="bytes"/> encoded.</summary>
    public void Sent(int items, int bytes)
    {
        if (SubmittedCounter.Enabled)
        {
            SubmittedCounter.Add(items, _executor);
        }

        if (BytesSentCounter.Enabled)
        {
            BytesSentCounter.Add(bytes, _executor);
        }
    }

    /// <summary>An outcome arrived: its results, errors (by kind) and cancels count as completed.</summary>
    public void Received(UnitOutcome outcome)
    {
        if (BytesReceivedCounter.Enabled)
        {
            BytesReceivedCounter.Add(outcome.CalculateSize(), _executor);
        }

        if (!CompletedCounter.Enabled)
        {
            return;
        }

        int items = outcome.ItemCount != 0 ? (int)outcome.ItemCount : (int)(outcome.Results?.Count ?? 0);
        int results = items - outcome.Errors.Count - outcome.Skipped.Count;
        Completed(OutcomeNames.Result, results);
        Completed(OutcomeNames.Canceled, outcome.Skipped.Count);
        foreach (var error in outcome.Errors)
        {
            Completed(OutcomeNames.Of(error.Error.Kind), 1);
        }
    }

    /// <summary>The coordinator refused a unit of <paramref name="items"/>.</summary>
    public void Rejected(int items) => Completed("rejected", items);

    private void Completed(string outcome, int items)
    {
        if (CompletedCounter.Enabled && items > 0)
        {
            CompletedCounter.Add(items, _executor, new KeyValuePair<string, object?>("outcome", outcome));
        }
    }
}
