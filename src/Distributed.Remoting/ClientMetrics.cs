using System.Diagnostics.Metrics;
using Distributed.Protocol;
using Distributed.Protocol.V1;

namespace Distributed.Remoting;

/// <summary>
/// What a process-pool or remote client measures, on the library's meter: tasks submitted, tasks
/// completed by outcome, and the bytes of the units it encoded and the outcomes it received, each
/// tagged with its executor (<c>distributed.executor</c>: process_pool or remote). The thread pool
/// executor counts its tasks under the same names.
/// </summary>
/// <remarks>
/// Counted in fields and reported as observable counters when a listener collects, as the
/// coordinator's are: a synchronous counter's record per outcome was a measurable share of a
/// pool's throughput. Nothing is counted while nobody listens.
/// </remarks>
internal sealed class ClientMetrics
{
    private static readonly string[] Outcomes = ["result", "exception", "canceled", "worker_lost", "timeout", "rejected", "broken"];
    private static readonly Meter Meter = new(DistributedTelemetry.MeterName);
    private static readonly ClientMetrics[] Executors = [new("process_pool"), new("remote")];

    private static readonly ObservableCounter<long> SubmittedCounter = Meter.CreateObservableCounter(
        "distributed.client.tasks.submitted",
        () => Executors.Select(e => new Measurement<long>(Volatile.Read(ref e._sent[Pad]), e._executor)),
        "{task}",
        "Tasks this process submitted, by executor (thread_pool, process_pool, remote).");

    private static readonly ObservableCounter<long> CompletedCounter = Meter.CreateObservableCounter(
        "distributed.client.tasks.completed",
        () => Executors.SelectMany(e => Outcomes.Select((outcome, i) => new Measurement<long>(Volatile.Read(ref e._received[Pad + 1 + i]), e._executor, new("outcome", outcome)))),
        "{task}",
        "Tasks whose outcome reached this process, by executor and outcome (result, exception, canceled, worker_lost, timeout, rejected, broken).");

    private static readonly ObservableCounter<long> BytesSentCounter = Meter.CreateObservableCounter(
        "distributed.client.bytes.sent",
        () => Executors.Select(e => new Measurement<long>(Volatile.Read(ref e._sent[Pad + 1]), e._executor)),
        "By",
        "Bytes of the calls this process encoded for workers, by executor.");

    private static readonly ObservableCounter<long> BytesReceivedCounter = Meter.CreateObservableCounter(
        "distributed.client.bytes.received",
        () => Executors.Select(e => new Measurement<long>(Volatile.Read(ref e._received[Pad]), e._executor)),
        "By",
        "Bytes of the outcome messages this process received over the network (remote executors), by executor.");

    // The submitting threads write one block and the thread that receives outcomes the other: each
    // sits in the middle of an array of its own, so the two never share a cache line.
    private const int Pad = 8;
    private readonly KeyValuePair<string, object?> _executor;
    private readonly long[] _sent = new long[(2 * Pad) + 2];
    private readonly long[] _received = new long[(2 * Pad) + 1 + Outcomes.Length];

    private ClientMetrics(string executor) => _executor = new("distributed.executor", executor);

    public static ClientMetrics ProcessPool => Executors[0];

    public static ClientMetrics Remote => Executors[1];

    /// <summary>A unit of <paramref name="items"/> went out, <paramref name="bytes"/> encoded.</summary>
    public void Sent(int items, int bytes)
    {
        if (SubmittedCounter.Enabled)
        {
            Interlocked.Add(ref _sent[Pad], items);
        }

        if (BytesSentCounter.Enabled)
        {
            Interlocked.Add(ref _sent[Pad + 1], bytes);
        }
    }

    /// <summary>A message of outcomes came over the network (a process pool's come in-process, uncounted).</summary>
    public void ReceivedBytes(Google.Protobuf.IMessage message)
    {
        if (BytesReceivedCounter.Enabled)
        {
            Interlocked.Add(ref _received[Pad], message.CalculateSize());
        }
    }

    /// <summary>An outcome arrived: its results, errors (by kind) and cancels count as completed.</summary>
    public void Received(UnitOutcome outcome)
    {
        if (!CompletedCounter.Enabled)
        {
            return;
        }

        int items = outcome.ItemCount != 0 ? (int)outcome.ItemCount : (int)(outcome.Results?.Count ?? 0);
        Completed(OutcomeNames.Result, items - outcome.Errors.Count - outcome.Skipped.Count);
        Completed(OutcomeNames.Canceled, outcome.Skipped.Count);
        foreach (var error in outcome.Errors)
        {
            Completed(OutcomeNames.Of(error.Error.Kind), 1);
        }
    }

    /// <summary>The coordinator refused a unit of <paramref name="items"/>.</summary>
    public void Rejected(int items)
    {
        if (CompletedCounter.Enabled)
        {
            Completed("rejected", items);
        }
    }

    private void Completed(string outcome, int items)
    {
        if (items > 0)
        {
            Interlocked.Add(ref _received[Pad + 1 + Array.IndexOf(Outcomes, outcome)], items);
        }
    }
}
