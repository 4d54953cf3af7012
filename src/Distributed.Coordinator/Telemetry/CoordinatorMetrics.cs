using System.Diagnostics.Metrics;
using Distributed.Protocol;
using Distributed.Protocol.V1;

namespace Distributed.Coordinator.Telemetry;

/// <summary>
/// What a coordinator measures, through <see cref="System.Diagnostics.Metrics"/>, named in
/// OpenTelemetry's style: tasks submitted, started and completed (by outcome), retries (by reason),
/// task run time and queue wait, and, observed only when collected, queue depth, running tasks,
/// workers and clients. With nobody listening an instrument's record is a test of one flag: the
/// engine pays nothing it would notice (the counters are touched under its lock, once per batch).
/// </summary>
internal sealed class CoordinatorMetrics : IDisposable
{
    private readonly Meter _meter;
    private readonly Counter<long> _submitted;
    private readonly Counter<long> _started;
    private readonly Counter<long> _completed;
    private readonly Counter<long> _retries;
    private readonly Histogram<double> _runTime;
    private readonly Histogram<double> _queueWait;

    /// <param name="factory">Where the meter comes from (the host's DI), or null for a meter of its own.</param>
    /// <param name="observe">The engine's current figures, asked only when a listener collects.</param>
    public CoordinatorMetrics(IMeterFactory? factory, Func<Snapshot> observe)
    {
        var options = new MeterOptions(DistributedTelemetry.MeterName);
        _meter = factory?.Create(options) ?? new Meter(options);
        _submitted = _meter.CreateCounter<long>("distributed.coordinator.tasks.submitted", "{task}", "Tasks clients submitted.");
        _started = _meter.CreateCounter<long>("distributed.coordinator.tasks.started", "{task}", "Task runs that started on a worker (a retry starts again).");
        _completed = _meter.CreateCounter<long>("distributed.coordinator.tasks.completed", "{task}", "Tasks that ended, by outcome: result, exception, canceled, worker_lost, timeout, rejected, broken.");
        _retries = _meter.CreateCounter<long>("distributed.coordinator.tasks.retries", "{task}", "Tasks run again, by reason: worker_lost (their worker died under them), exception (they threw a TaskOptions.RetryOn type).");
        _runTime = _meter.CreateHistogram<double>("distributed.coordinator.task.run_time", "s", "How long a task ran on its worker (a unit's run time shared among its items).");
        _queueWait = _meter.CreateHistogram<double>("distributed.coordinator.task.queue_wait", "s", "How long a unit waited in the queue before a worker was given it.");
        _meter.CreateObservableUpDownCounter("distributed.coordinator.queue.depth", () => (long)observe().Queued, "{task}", "Tasks queued, waiting for a worker.");
        _meter.CreateObservableUpDownCounter("distributed.coordinator.tasks.running", () => (long)observe().Running, "{task}", "Tasks workers hold now.");
        _meter.CreateObservableUpDownCounter("distributed.coordinator.workers", () => (long)observe().Workers, "{worker}", "Workers connected.");
        _meter.CreateObservableUpDownCounter("distributed.coordinator.clients", () => (long)observe().Clients, "{client}", "Clients connected.");
    }

    /// <summary>The engine's figures at one moment.</summary>
    public readonly record struct Snapshot(ulong Queued, ulong Running, int Workers, int Clients);

    public void Submitted(int items) => _submitted.Add(items);

    public void Started(int items)
    {
        if (items > 0)
        {
            _started.Add(items);
        }
    }

    public void Completed(string outcome, int items = 1)
    {
        if (_completed.Enabled && items > 0)
        {
            _completed.Add(items, new KeyValuePair<string, object?>("outcome", outcome));
        }
    }

    public void Retried(string reason, int items = 1)
    {
        if (_retries.Enabled && items > 0)
        {
            _retries.Add(items, new KeyValuePair<string, object?>("reason", reason));
        }
    }

    /// <summary>A unit's run: <paramref name="runNanos"/> over <paramref name="items"/> that ran.</summary>
    public void Ran(ulong runNanos, int items)
    {
        if (_runTime.Enabled && items > 0 && runNanos > 0)
        {
            double each = runNanos / 1e9 / items;
            for (int i = 0; i < items; i++)
            {
                _runTime.Record(each);
            }
        }
    }

    /// <summary>A unit left the queue for a worker after waiting since <paramref name="queuedAt"/>.</summary>
    public void LeftQueue(TimeProvider time, long queuedAt, long now)
    {
        if (_queueWait.Enabled)
        {
            _queueWait.Record(time.GetElapsedTime(queuedAt, now).TotalSeconds);
        }
    }

    /// <summary>The outcome name an error's kind counts under.</summary>
    public static string OutcomeOf(ErrorKind kind) => OutcomeNames.Of(kind);

    public void Dispose() => _meter.Dispose();
}
