using System.Diagnostics;
using Distributed.Protocol.V1;

namespace Distributed.Coordinator.Engine;

internal sealed partial class CoordinatorEngine
{
    // The longest the no-worker state lasts before it is logged and shown as unhealthy (or half
    // the no-worker timeout, if that is shorter): long enough that a pool starting its workers is
    // not reported, short enough to be seen well before tasks fail.
    private static readonly TimeSpan s_noWorkersWarningAfter = TimeSpan.FromSeconds(5);

    private long _lastTick = options.Time.GetTimestamp();

    // The clock every peer's silence is measured on; it also tells whether this process ran (see Tick).
    private readonly HearingClock _hearing = new(options.Time);

    // Since when tasks have been queued with no worker to take them; null while that is not so.
    private long? _noWorkersSince;
    private bool _noWorkersWarned;

    // The last thing a host said about why its workers do not come (an early exit, say), for messages.
    private string? _workerTrouble;

    /// <summary>
    /// One look by the watchdog, every <see cref="EngineOptions.WatchdogPeriod"/>: gives up on
    /// workers and remote clients not heard from within their timeouts, and fails tasks that have
    /// waited the no-worker timeout without any worker to run them. A silence is judged against its
    /// timeout less one period, so it is acted on within the timeout itself.
    /// </summary>
    public void Tick()
    {
        long now = options.Time.GetTimestamp();
        long? firstHeard = _hearing.TakeFirstHeard();
        var deliveries = new Deliveries();
        List<WorkerSession> silentWorkers;
        List<ClientSession> silentClients;
        TimeSpan notRunning = TimeSpan.Zero;
        lock (_sync)
        {
            long previous = _lastTick;
            _lastTick = now;
            if (options.Time.GetElapsedTime(previous, now) > FreezeGap)
            {
                // This look is late: the process was stopped, or only its timer was late on a busy
                // machine. Until a peer was heard after the last look nothing shows the process ran,
                // and that span's silence is its own, not its workers' or clients'; from then on
                // they had their say.
                long excused = firstHeard is { } first ? Math.Max(0, first - previous) : now - previous;
                notRunning = options.Time.GetElapsedTime(0, excused);
                _workers.ForEach(w => w.Excuse(excused));
                _clients.ForEach(c => c.Excuse(excused));
                _noWorkersSince = _noWorkersSince is { } since ? since + excused : null;
            }

            var period = options.WatchdogPeriod;
            silentWorkers = _workers.Where(w => w.SinceHeard >= options.HeartbeatTimeout - period).ToList();
            silentClients = _clients.Where(c => c.Watched && c.SinceHeard >= options.ClientTimeout - period).ToList();
            WatchForNoWorkersLocked(now, deliveries);
        }

        if (notRunning > FreezeGap)
        {
            Log.CoordinatorDidNotRun(logger, notRunning.TotalSeconds);
        }

        deliveries.Flush();
        foreach (var worker in silentWorkers)
        {
            string reason = $"it stopped responding: no message for {worker.SinceHeard.TotalSeconds:F1} s (heartbeat timeout {options.HeartbeatTimeout.TotalSeconds:F1} s)";
            RemoveWorker(worker, reason);
            worker.Abort(reason);
        }

        foreach (var client in silentClients)
        {
            client.Abort($"no message for {client.SinceHeard.TotalSeconds:F1} s (client timeout {options.ClientTimeout.TotalSeconds:F1} s)");
        }
    }

    /// <summary>Says why no worker comes, for the messages of tasks that fail waiting for one; cleared when one registers.</summary>
    public void NoteWorkerTrouble(string trouble)
    {
        lock (_sync)
        {
            _workerTrouble = trouble;
        }
    }

    /// <summary>Unhealthy while the pool is broken, or while tasks have waited for a worker longer than a short grace.</summary>
    public (bool Healthy, string Description) Health()
    {
        lock (_sync)
        {
            if (_broken is { } broken)
            {
                return (false, broken.Message);
            }

            var waiting = WithoutWorkersLocked();
            int queued = QueuedItemsLocked();
            return waiting >= NoWorkersWarningAfter
                ? (false, $"no worker is connected, and {queued} tasks have waited {waiting.TotalSeconds:F1} s")
                : (true, $"{_workers.Count} workers, {queued} tasks queued");
        }
    }

    private TimeSpan NoWorkersWarningAfter =>
        options.WaitsForeverForWorkers || options.NoWorkerTimeout / 2 > s_noWorkersWarningAfter ? s_noWorkersWarningAfter : options.NoWorkerTimeout / 2;

    // Ticks further apart than this mean the process itself was not running.
    private TimeSpan FreezeGap => TimeSpan.FromTicks(Math.Max(options.WatchdogPeriod.Ticks * 3, TimeSpan.FromSeconds(1).Ticks));

    /// <summary>How long tasks have been queued with no worker to take them; zero while that is not so.</summary>
    private TimeSpan WithoutWorkersLocked()
    {
        Debug.Assert(Monitor.IsEntered(_sync));
        return _noWorkersSince is { } since ? options.Time.GetElapsedTime(since) : TimeSpan.Zero;
    }

    private void WatchForNoWorkersLocked(long now, Deliveries deliveries)
    {
        Debug.Assert(Monitor.IsEntered(_sync));
        bool waiting = _queue.Count > 0 && _broken is null && !_stopping && !_workers.Any(w => w.Accepting);
        if (!waiting)
        {
            if (_noWorkersWarned && _workers.Count > 0)
            {
                int queuedItems = QueuedItemsLocked();
                Log.WorkersBack(logger, _workers.Count, queuedItems);
            }

            _noWorkersSince = null;
            _noWorkersWarned = false;
            return;
        }

        _noWorkersSince ??= now;
        var elapsed = options.Time.GetElapsedTime(_noWorkersSince.Value, now);
        var timeout = options.NoWorkerTimeout;
        if (!_noWorkersWarned && elapsed >= NoWorkersWarningAfter)
        {
            _noWorkersWarned = true;
            string until = options.WaitsForeverForWorkers
                ? "they wait for one"
                : $"they fail after {timeout.TotalSeconds:F0} s ({options.NoWorkerTimeoutSetting})";
            int waitingItems = QueuedItemsLocked();
            Log.NoWorkers(logger, waitingItems, elapsed.TotalSeconds, until, _workerTrouble ?? "no worker has registered");
        }

        if (options.WaitsForeverForWorkers || elapsed < timeout)
        {
            return;
        }

        var queued = _queue.ToList();
        int items = QueuedItemsLocked();
        string trouble = _workerTrouble is null ? string.Empty : $" Last sign of a worker: {_workerTrouble}.";
        foreach (var record in queued)
        {
            bool died = Enumerable.Range(0, record.Count).Any(i => record.Losses((uint)i).Count > 0);
            string history = died ? "it had been running on a worker that died" : "it never ran";
            FailOpenItemsLocked(record, new ErrorInfo
            {
                Kind = ErrorKind.NoWorkers,
                Type = "Distributed.Futures.BrokenExecutorException",
                Message = $"{FunctionName(record)} waited {elapsed.TotalSeconds:F1} s for a worker and none was connected " +
                    $"({options.NoWorkerTimeoutSetting} is {timeout.TotalSeconds:F0} s); {history}.{trouble}",
            }, deliveries);
        }

        Log.NoWorkerTimeout(logger, items, elapsed.TotalSeconds, options.NoWorkerTimeoutSetting);
        _noWorkersSince = null;
        _noWorkersWarned = false;
    }
}
