using System.Diagnostics;

namespace Distributed.Futures.Internal;

/// <summary>
/// Counts a batch's outcomes, from any thread, and hands snapshots to the user's sink: the first at
/// once, then at most one per interval (a change inside the interval is sent by a timer when it is
/// up), and the final one exactly once, last. The sink is called by one thread at a time, always
/// with the newest snapshot; a thread that finds another one calling it leaves its snapshot and
/// returns, so a slow sink holds up one thread, never every completing one.
/// </summary>
internal sealed class ProgressReporter
{
    // ITimer takes at most about 49 days; a longer wait is the same as never.
    private static readonly TimeSpan s_longestTimerDue = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    private readonly object _lock = new();
    private readonly IProgress<BatchProgress> _sink;
    private readonly TimeProvider _time;
    private readonly TimeSpan _interval;
    private readonly bool _waitForFinalDelivery;
    private readonly long _start;

    private long _succeeded;
    private long _failed;
    private long _canceled;
    private long? _total;
    private long _lastReport;

    // A count changed after the last snapshot, and the trailing timer is set to send it.
    private bool _changed;
    private bool _timerSet;
    private ITimer? _timer;

    // The newest snapshot no one has delivered yet, and whether a thread is delivering.
    private BatchProgress? _pending;
    private bool _delivering;
    private Thread? _deliveringThread;
    private bool _finalTaken;
    private bool _finalDelivered;

    /// <param name="sink">Where snapshots go.</param>
    /// <param name="options">Interval and clock.</param>
    /// <param name="waitForFinalDelivery">The thread that ends the batch waits until the sink has had
    /// the final report (a Map's consumer, whose next line of output must follow it); otherwise the
    /// batch's <see cref="Completion"/> says when.</param>
    public ProgressReporter(IProgress<BatchProgress> sink, ProgressOptions options, bool waitForFinalDelivery)
    {
        _sink = sink;
        _time = options.TimeProvider;
        _interval = options.Interval;
        _waitForFinalDelivery = waitForFinalDelivery;
        _start = _time.GetTimestamp();
        _lastReport = _start;
    }

    /// <summary>
    /// Ends with the final snapshot once the sink has had it: what <see cref="Future.Track"/> returns,
    /// and the future a sink's exception is reported with.
    /// </summary>
    public Future<BatchProgress> Completion { get; } = new();

    /// <summary>Sends the first report, with the items done before tracking started.</summary>
    public void Start(long? total, long succeeded = 0, long failed = 0, long canceled = 0)
    {
        bool deliver;
        lock (_lock)
        {
            _total = total;
            _succeeded = succeeded;
            _failed = failed;
            _canceled = canceled;
            deliver = Offer(Snapshot(_time.GetTimestamp(), IsCompleteLocked()));
        }

        DeliverIf(deliver);
    }

    /// <summary>Counts a done future by how it ended.</summary>
    public void OnFutureDone(Future future) => Count(OutcomeOf(future));

    /// <summary>How a done future ended.</summary>
    public static ProgressOutcome OutcomeOf(Future future) =>
        future.IsCanceled ? ProgressOutcome.Canceled : future.HasFailed ? ProgressOutcome.Failed : ProgressOutcome.Succeeded;

    /// <summary>Counts one item done; the one that completes the total sends the final report.</summary>
    public void Count(ProgressOutcome outcome)
    {
        bool deliver;
        lock (_lock)
        {
            if (_finalTaken)
            {
                return;
            }

            switch (outcome)
            {
                case ProgressOutcome.Succeeded:
                    _succeeded++;
                    break;
                case ProgressOutcome.Failed:
                    _failed++;
                    break;
                default:
                    _canceled++;
                    break;
            }

            deliver = OnChangeLocked();
        }

        DeliverIf(deliver);
    }

    /// <summary>The total became known: the input ran out.</summary>
    public void SetTotal(long total)
    {
        bool deliver;
        lock (_lock)
        {
            if (_finalTaken || _total == total)
            {
                return;
            }

            _total = total;
            deliver = OnChangeLocked();
        }

        DeliverIf(deliver);
    }

    /// <summary>Ends the batch where it stands (a sequence that ended early, or ran out) with the final report.</summary>
    public void Finish()
    {
        bool deliver = false;
        lock (_lock)
        {
            if (!_finalTaken)
            {
                deliver = Offer(Snapshot(_time.GetTimestamp(), final: true));
            }
        }

        DeliverIf(deliver);
    }

    private bool IsCompleteLocked() => _total is { } total && _succeeded + _failed + _canceled >= total;

    /// <returns>True if the caller must deliver.</returns>
    private bool OnChangeLocked()
    {
        Debug.Assert(Monitor.IsEntered(_lock));
        long now = _time.GetTimestamp();
        if (IsCompleteLocked())
        {
            return Offer(Snapshot(now, final: true));
        }

        var sinceLast = _time.GetElapsedTime(_lastReport, now);
        if (sinceLast >= _interval)
        {
            return Offer(Snapshot(now, final: false));
        }

        _changed = true;
        if (!_timerSet && _interval - sinceLast is var due && due <= s_longestTimerDue)
        {
            _timerSet = true;
            _timer ??= _time.CreateTimer(static state => ((ProgressReporter)state!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            _timer.Change(due, Timeout.InfiniteTimeSpan);
        }

        return false;
    }

    private void OnTimer()
    {
        bool deliver;
        lock (_lock)
        {
            _timerSet = false;
            if (_finalTaken || !_changed)
            {
                return;
            }

            deliver = Offer(Snapshot(_time.GetTimestamp(), final: false));
        }

        DeliverIf(deliver);
    }

    private BatchProgress Snapshot(long now, bool final)
    {
        Debug.Assert(Monitor.IsEntered(_lock));
        _lastReport = now;
        _changed = false;
        _finalTaken |= final;
        return new BatchProgress(_succeeded, _failed, _canceled, _total, _time.GetElapsedTime(_start, now), final);
    }

    /// <summary>Leaves the snapshot for delivery, replacing an older one no one has delivered.</summary>
    /// <returns>True if the caller becomes the delivering thread.</returns>
    private bool Offer(BatchProgress snapshot)
    {
        Debug.Assert(Monitor.IsEntered(_lock));
        _pending = snapshot;
        if (_delivering)
        {
            return false;
        }

        _delivering = true;
        _deliveringThread = Thread.CurrentThread;
        return true;
    }

    private void DeliverIf(bool deliver)
    {
        if (deliver)
        {
            Deliver();
        }

        if (_waitForFinalDelivery)
        {
            lock (_lock)
            {
                // Only the thread that ended the batch waits, and only while another delivers (never
                // a sink that ended it from inside its own report: that would wait for itself).
                while (_finalTaken && !_finalDelivered && _deliveringThread != Thread.CurrentThread)
                {
                    Monitor.Wait(_lock);
                }
            }
        }
    }

    /// <summary>Calls the sink, outside the lock, until no newer snapshot is waiting.</summary>
    private void Deliver()
    {
        while (true)
        {
            BatchProgress next;
            lock (_lock)
            {
                if (_pending is null)
                {
                    _delivering = false;
                    _deliveringThread = null;
                    return;
                }

                next = _pending;
                _pending = null;
            }

            // A canceled Completion means the caller stopped following the batch.
            if (!Completion.IsCanceled)
            {
                try
                {
                    _sink.Report(next);
                }
#pragma warning disable CA1031 // The sink is user code running on an executor's thread: it must not take the thread down.
                catch (Exception error)
#pragma warning restore CA1031
                {
                    CompletionRunner.ReportCallbackFailure(Completion, error, "progress sink");
                }
            }

            if (next.IsFinal)
            {
                ITimer? timer;
                lock (_lock)
                {
                    _finalDelivered = true;
                    timer = _timer;
                    _timer = null;
                    Monitor.PulseAll(_lock);
                }

                timer?.Dispose();
                Completion.TrySetResult(next);
            }
        }
    }
}
