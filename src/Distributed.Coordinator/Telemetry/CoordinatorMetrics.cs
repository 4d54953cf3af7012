using System.Diagnostics.Metrics;
using Distributed.Coordinator.Engine;
using Distributed.Protocol;
using Distributed.Protocol.V1;

namespace Distributed.Coordinator.Telemetry;

/// <summary>
/// What a coordinator measures, through <see cref="System.Diagnostics.Metrics"/>, named in
/// OpenTelemetry's style: tasks submitted, started and completed (by outcome), retries (by reason),
/// the run time and queue wait of units (a call, or a Map chunk; gathered in a <see cref="SampleBuffer"/> and recorded in runs), and queue depth, running tasks,
/// workers and clients.
/// </summary>
/// <remarks>
/// The task counters are counted in plain fields under the engine's lock and reported as
/// asynchronous (observable) counters when a listener collects, so a listening SDK costs the
/// engine nothing per task: recording each task through a synchronous counter cost a quarter of
/// the process pool's throughput (see the telemetry-overhead benchmark). The histograms record once
/// per unit, not per item.
/// </remarks>
internal sealed class CoordinatorMetrics : IDisposable
{
    private static readonly string[] Outcomes = ["result", "exception", "canceled", "worker_lost", "timeout", "rejected", "broken"];
    private static readonly string[] RetryReasons = ["worker_lost", "exception"];

    private readonly Meter _meter;
    private readonly SampleBuffer _runTime;
    private readonly SampleBuffer _queueWait;

    // Written under the engine's lock; read, without it, by the collecting thread.
    private readonly long[] _completed = new long[Outcomes.Length];
    private readonly long[] _retries = new long[RetryReasons.Length];
    private long _submitted;
    private long _started;

    /// <param name="factory">Where the meter comes from (the host's DI), or null for a meter of its own.</param>
    /// <param name="observe">The engine's current figures, asked only when a listener collects.</param>
    /// <param name="engineLock">The engine's lock, which every call but <see cref="Dispose"/> holds.</param>
    public CoordinatorMetrics(IMeterFactory? factory, Func<Snapshot> observe, object engineLock)
    {
        var options = new MeterOptions(DistributedTelemetry.MeterName);
        _meter = factory?.Create(options) ?? new Meter(options);
        _meter.CreateObservableCounter("distributed.coordinator.tasks.submitted", () => Volatile.Read(ref _submitted), "{task}", "Tasks clients submitted.");
        _meter.CreateObservableCounter("distributed.coordinator.tasks.started", () => Volatile.Read(ref _started), "{task}", "Task runs that started on a worker (a retry starts again).");
        _meter.CreateObservableCounter("distributed.coordinator.tasks.completed", () => Tagged("outcome", Outcomes, _completed), "{task}", "Tasks that ended, by outcome: result, exception, canceled, worker_lost, timeout, rejected, broken.");
        _meter.CreateObservableCounter("distributed.coordinator.tasks.retries", () => Tagged("reason", RetryReasons, _retries), "{task}", "Tasks run again, by reason: worker_lost (their worker died under them), exception (they threw a TaskOptions.RetryOn type).");
        _runTime = new(_meter.CreateHistogram<double>("distributed.coordinator.unit.run_time", "s", "How long a unit (a call, or a Map chunk) ran on its worker."), engineLock);
        _queueWait = new(_meter.CreateHistogram<double>("distributed.coordinator.unit.queue_wait", "s", "How long a unit (a call, or a Map chunk) waited in the queue before a worker was given it."), engineLock);
        _meter.CreateObservableUpDownCounter("distributed.coordinator.queue.depth", () => (long)observe().Queued, "{task}", "Tasks queued, waiting for a worker.");
        _meter.CreateObservableUpDownCounter("distributed.coordinator.tasks.running", () => (long)observe().Running, "{task}", "Tasks workers hold now.");
        _meter.CreateObservableUpDownCounter("distributed.coordinator.workers", () => (long)observe().Workers, "{worker}", "Workers connected.");
        _meter.CreateObservableUpDownCounter("distributed.coordinator.clients", () => (long)observe().Clients, "{client}", "Clients connected.");
    }

    /// <summary>The engine's figures at one moment.</summary>
    public readonly record struct Snapshot(ulong Queued, ulong Running, int Workers, int Clients);

    public void Submitted(int items) => _submitted += items;

    public void Started(int items) => _started += Math.Max(0, items);

    public void Completed(string outcome, int items = 1) => _completed[Array.IndexOf(Outcomes, outcome)] += items;

    public void Retried(string reason, int items = 1) => _retries[Array.IndexOf(RetryReasons, reason)] += items;

    /// <summary>A unit's run (its last outcome) took <paramref name="runNanos"/>.</summary>
    public void Ran(ulong runNanos, Deliveries deliveries)
    {
        if (_runTime.Enabled && runNanos > 0)
        {
            deliveries.Samples(_runTime.Add(runNanos / 1e9));
        }
    }

    /// <summary>A unit left the queue for a worker after waiting since <paramref name="queuedAt"/>.</summary>
    public void LeftQueue(TimeProvider time, long queuedAt, long now, Deliveries deliveries)
    {
        if (_queueWait.Enabled)
        {
            deliveries.Samples(_queueWait.Add(time.GetElapsedTime(queuedAt, now).TotalSeconds));
        }
    }

    /// <summary>Hands every gathered histogram sample to <paramref name="deliveries"/>, to be recorded once the lock is released.</summary>
    public void TakeSamples(Deliveries deliveries)
    {
        deliveries.Samples(_runTime.Take());
        deliveries.Samples(_queueWait.Take());
    }

    /// <summary>The outcome name an error's kind counts under.</summary>
    public static string OutcomeOf(ErrorKind kind) => OutcomeNames.Of(kind);

    public void Dispose() => _meter.Dispose();

    private static Measurement<long>[] Tagged(string tag, string[] names, long[] counts)
    {
        var measurements = new Measurement<long>[names.Length];
        for (int i = 0; i < names.Length; i++)
        {
            measurements[i] = new Measurement<long>(Volatile.Read(ref counts[i]), new KeyValuePair<string, object?>(tag, names[i]));
        }

        return measurements;
    }
}
