using System.Diagnostics;
using Distributed.Protocol.V1;
using Microsoft.Extensions.Logging;

namespace Distributed.Coordinator.Engine;

/// <summary>
/// Watches for tasks queued with no worker to run them: says so in the log and the health state
/// after a short grace, and fails them once they have waited the no-worker timeout, with what was
/// last heard of why no worker comes. The silent standalone coordinator with 0 workers and
/// thousands of queued tasks is what this exists for.
/// </summary>
/// <remarks>Every member runs under the engine's lock.</remarks>
internal sealed class NoWorkerWatch(object engineLock, UnitBook book, IReadOnlyList<WorkerSession> workers, FunctionCatalog functions, EngineOptions options, ILogger logger)
{
    // The longest the no-worker state lasts before it is logged and shown as unhealthy (or half
    // the no-worker timeout, if that is shorter): long enough that a pool starting its workers is
    // not reported, short enough to be seen well before tasks fail.
    private static readonly TimeSpan s_warningAfter = TimeSpan.FromSeconds(5);

    // Since when tasks have been queued with no worker to take them; null while that is not so.
    private long? _since;
    private bool _warned;

    // The last thing a host said about why its workers do not come (an early exit, say), for messages.
    private string? _trouble;

    /// <summary>How long tasks have been queued with no worker to take them; zero while that is not so.</summary>
    public TimeSpan WithoutWorkersLocked()
    {
        AssertLocked();
        return _since is { } since ? options.Time.GetElapsedTime(since) : TimeSpan.Zero;
    }

    /// <summary>Unhealthy while tasks have waited for a worker longer than a short grace.</summary>
    public (bool Healthy, string Description) HealthLocked()
    {
        AssertLocked();
        var waiting = WithoutWorkersLocked();
        int queued = book.Queue.OpenItems();
        return waiting >= WarningAfter
            ? (false, $"no worker is connected, and {queued} tasks have waited {waiting.TotalSeconds:F1} s")
            : (true, $"{workers.Count} workers, {queued} tasks queued");
    }

    /// <summary>Says why no worker comes, for the messages of tasks that fail waiting for one.</summary>
    public void NoteTroubleLocked(string trouble)
    {
        AssertLocked();
        _trouble = trouble;
    }

    /// <summary>A worker came: the trouble is over.</summary>
    public void WorkerRegisteredLocked()
    {
        AssertLocked();
        _trouble = null;
        _since = null;
    }

    /// <summary>The coordinator did not run for this long (in timestamps): that time is not counted as waiting.</summary>
    public void ExcuseLocked(long timestamps)
    {
        AssertLocked();
        _since = _since is { } since ? since + timestamps : null;
    }

    /// <summary>One look, at <paramref name="now"/>.</summary>
    /// <param name="now">A timestamp of the engine's clock.</param>
    /// <param name="mayWait">False while the pool is broken or stopping: then queued tasks wait for no worker.</param>
    /// <param name="deliveries">Collects what to tell afterwards.</param>
    public void LookLocked(long now, bool mayWait, Deliveries deliveries)
    {
        AssertLocked();
        bool waiting = mayWait && book.Queue.Count > 0 && !workers.Any(w => w.Accepting);
        if (!waiting)
        {
            if (_warned && workers.Count > 0)
            {
                int queuedItems = book.Queue.OpenItems();
                Log.WorkersBack(logger, workers.Count, queuedItems);
            }

            _since = null;
            _warned = false;
            return;
        }

        _since ??= now;
        var elapsed = options.Time.GetElapsedTime(_since.Value, now);
        var timeout = options.NoWorkerTimeout;
        if (!_warned && elapsed >= WarningAfter)
        {
            _warned = true;
            string until = options.WaitsForeverForWorkers
                ? "they wait for one"
                : $"they fail after {timeout.TotalSeconds:F0} s ({options.NoWorkerTimeoutSetting})";
            int waitingItems = book.Queue.OpenItems();
            Log.NoWorkers(logger, waitingItems, elapsed.TotalSeconds, until, _trouble ?? "no worker has registered");
        }

        if (options.WaitsForeverForWorkers || elapsed < timeout)
        {
            return;
        }

        var queued = book.Queue.ToList();
        int items = book.Queue.OpenItems();
        string trouble = _trouble is null ? string.Empty : $" Last sign of a worker: {_trouble}.";
        foreach (var record in queued)
        {
            bool died = Enumerable.Range(0, record.Count).Any(i => record.Losses((uint)i).Count > 0);
            string history = died ? "it had been running on a worker that died" : "it never ran";
            book.FailOpenItemsLocked(record, new ErrorInfo
            {
                Kind = ErrorKind.NoWorkers,
                Type = "Distributed.Futures.BrokenExecutorException",
                Message = $"{functions.NameOf(record.FunctionId)} waited {elapsed.TotalSeconds:F1} s for a worker and none was connected " +
                    $"({options.NoWorkerTimeoutSetting} is {timeout.TotalSeconds:F0} s); {history}.{trouble}",
            }, deliveries);
        }

        Log.NoWorkerTimeout(logger, items, elapsed.TotalSeconds, options.NoWorkerTimeoutSetting);
        _since = null;
        _warned = false;
    }

    private TimeSpan WarningAfter =>
        options.WaitsForeverForWorkers || options.NoWorkerTimeout / 2 > s_warningAfter ? s_warningAfter : options.NoWorkerTimeout / 2;

    [Conditional("DEBUG")]
    private void AssertLocked() => Debug.Assert(Monitor.IsEntered(engineLock));
}
