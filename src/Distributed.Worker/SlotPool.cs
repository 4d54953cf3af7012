using System.Collections.Concurrent;
using Distributed.Protocol.V1;

namespace Distributed.Worker;

/// <summary>
/// A fixed number of threads ("slots"), each running one unit at a time, taken in the order the
/// coordinator assigned them. That order matters: it lets the coordinator tell, after a crash,
/// which units were possibly running (the first unfinished ones) and which never started.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage(
    "Reliability",
    "CA1001:Types that own disposable fields should be disposable",
    Justification = "The abandon token has no timer and its WaitHandle is never used; a slot may still look at it as the session ends.")]
internal sealed class SlotPool
{
    private readonly object _lock = new();
    private readonly Queue<WorkUnit> _queue = new();

    // Assigned and not yet finished, so that a cancel request can find a unit wherever it is.
    private readonly ConcurrentDictionary<ulong, WorkUnit> _assigned = new();
    private readonly UnitRunner _runner;
    private readonly Outbox _outbox;
    private readonly Thread[] _threads;
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _startsEnded = new();
    private readonly int _slots;
    private int _liveThreads;
    private bool _closed;

    // Units running: on a slot's thread, or awaiting without one (an async function's). The slots
    // bound these, not the threads: a slot whose unit awaits takes another only while this is
    // below the slot count. Guarded by _lock.
    private int _running;

    private readonly Action _outcomeReady;
    private readonly Action _sendPending;

    // Functions that have run to their end in this process at least once.
    private readonly ConcurrentDictionary<uint, bool> _survived = new();

    /// <param name="slots">How many units run at once.</param>
    /// <param name="runner">Runs one unit.</param>
    /// <param name="outbox">Where outcomes go.</param>
    /// <param name="outcomeReady">Called on the slot's thread after each outcome, to send it without a hand-off (unless a write is under way, which takes it along).</param>
    /// <param name="sendPending">Sends everything pending, waiting for a write under way: when it returns, it is on the stream.</param>
    /// <param name="workerId">For thread names.</param>
    public SlotPool(int slots, UnitRunner runner, Outbox outbox, Action outcomeReady, Action sendPending, string workerId)
    {
        _runner = runner;
        _outbox = outbox;
        _outcomeReady = outcomeReady;
        _sendPending = sendPending;
        _slots = slots;
        _threads = new Thread[slots];
        for (int i = 0; i < slots; i++)
        {
            _threads[i] = new Thread(Loop) { IsBackground = true, Name = $"{workerId}-slot-{i}" };
        }
    }

    /// <summary>Completes when the pool was closed and every slot has finished its work.</summary>
    public Task Drained => _drained.Task;

    public void Start()
    {
        _liveThreads = _threads.Length;
        foreach (var thread in _threads)
        {
            thread.UnsafeStart();
        }
    }

    /// <summary>
    /// Ends when the session does, or is drained: a slot waiting for a start to be confirmed gives
    /// the item up (the coordinator reads nothing more of a drained worker's, and sends the item elsewhere).
    /// </summary>
    public CancellationToken StartsEnded => _startsEnded.Token;

    /// <summary>The coordinator recorded an item's start (a unit that confirms starts).</summary>
    public void ConfirmStart(ulong unitId, uint index)
    {
        if (_assigned.TryGetValue(unitId, out var unit))
        {
            unit.ConfirmStart(index);
        }
    }

    public void Enqueue(WorkUnit unit)
    {
        _assigned[unit.Id] = unit;
        lock (_lock)
        {
            _queue.Enqueue(unit);
            Monitor.Pulse(_lock);
        }
    }

    /// <summary>The item's CancellationToken was canceled in its client (see <see cref="WorkUnit.CancelToken"/>); a unit already finished is not known any more.</summary>
    public void CancelToken(ulong unitId, uint index)
    {
        if (_assigned.TryGetValue(unitId, out var unit))
        {
            unit.CancelToken(index);
        }
    }

    /// <summary>Cancels an item that has not started; false if it started, finished, or is unknown.</summary>
    public bool TryCancel(ulong unitId, uint index) => _assigned.TryGetValue(unitId, out var unit) && unit.TryCancel(index);

    /// <summary>No more units will come: the slots finish what is queued, then stop.</summary>
    public void Close()
    {
        _startsEnded.Cancel();
        lock (_lock)
        {
            _closed = true;
            Monitor.PulseAll(_lock);
        }
    }

    /// <summary>The coordinator is gone and has given this work to others: nothing queued may start.</summary>
    public void Abandon()
    {
        foreach (var unit in _assigned.Values)
        {
            for (uint index = 0; index < unit.Count; index++)
            {
                unit.TryCancel(index);
            }
        }

        Close();
    }

    private void Loop()
    {
        try
        {
            while (TryTake(out var unit))
            {
                // A function that has never run to its end in this process may be what kills it.
                // Before one starts, every outcome this worker owes is on the stream, so that a
                // death is blamed on it, and not on a unit that had finished but not said so yet.
                uint function = unit.Message.FunctionId;
                if (!_survived.ContainsKey(function))
                {
                    _sendPending();
                }

                var pending = _runner.Run(unit);
                if (pending.IsCompleted)
                {
                    Finish(unit, pending.Result, sendHere: true);
                    continue;
                }

                // It awaits: it keeps its slot without this thread, and finishes where it resumes.
                // Its outcome goes by the stream's writer: a write does not block a pool thread.
                var awaiter = pending.ConfigureAwait(false).GetAwaiter();
                awaiter.UnsafeOnCompleted(() => Finish(unit, awaiter.GetResult(), sendHere: false));
            }
        }
        finally
        {
            lock (_lock)
            {
                _liveThreads--;
                CompleteIfDrainedLocked();
            }
        }
    }

    /// <summary>Hands a unit's outcome to the outbox (and, on a slot's thread, sends it at once) and frees its slot.</summary>
    private void Finish(WorkUnit unit, List<(UnitOutcome Outcome, int Size)> parts, bool sendHere)
    {
        _survived.TryAdd(unit.Message.FunctionId, true);
        _assigned.TryRemove(unit.Id, out _);
        foreach (var (outcome, size) in parts)
        {
            _outbox.AddOutcome(outcome, size);
        }

        if (sendHere)
        {
            _outcomeReady();
        }

        lock (_lock)
        {
            _running--;
            CompleteIfDrainedLocked();
            Monitor.Pulse(_lock);
        }
    }

    /// <summary>Drained once every slot thread has left and no unit runs (an awaiting one may outlive the threads).</summary>
    private void CompleteIfDrainedLocked()
    {
        System.Diagnostics.Debug.Assert(Monitor.IsEntered(_lock));
        if (_liveThreads == 0 && _running == 0)
        {
            // Its continuations run asynchronously, never here under the lock.
            _drained.TrySetResult();
        }
    }

    private bool TryTake(out WorkUnit unit)
    {
        lock (_lock)
        {
            while (_running >= _slots || !_queue.TryDequeue(out unit!))
            {
                if (_closed && _queue.Count == 0)
                {
                    unit = null!;
                    return false;
                }

                Monitor.Wait(_lock);
            }

            _running++;
            return true;
        }
    }
}
