using Distributed.Protocol.V1;

namespace Distributed.Worker;

/// <summary>
/// A unit the coordinator assigned to this worker, and the state of each of its items. An item is
/// started or canceled by one atomic step, so a cancel that succeeds guarantees the item never runs.
/// </summary>
internal sealed class WorkUnit
{
    private const int Pending = 0;
    private const int Started = 1;
    private const int Canceled = 2;

    private readonly int[] _states;

    // For a unit that confirms starts: the last item the coordinator recorded as started.
    private readonly object _confirmations = new();
    private int _confirmedThrough = -1;

    public WorkUnit(CallUnit message)
    {
        Message = message;
        _states = new int[message.Count];
        foreach (uint index in message.Skip)
        {
            if (index < _states.Length)
            {
                _states[index] = Canceled;
            }
        }
    }

    public CallUnit Message { get; }

    public ulong Id => Message.UnitId;

    public int Count => _states.Length;

    /// <summary>Claims the item for running; false if it was canceled.</summary>
    public bool TryStart(int index) => Interlocked.CompareExchange(ref _states[index], Started, Pending) == Pending;

    /// <summary>The coordinator recorded the item's start: it may run.</summary>
    public void ConfirmStart(uint index)
    {
        lock (_confirmations)
        {
            _confirmedThrough = Math.Max(_confirmedThrough, (int)index);
            Monitor.PulseAll(_confirmations);
        }
    }

    /// <summary>Waits until the coordinator recorded the item's start; false if the session ended first.</summary>
    public bool WaitForStart(int index, CancellationToken sessionEnded)
    {
        using var wake = sessionEnded.Register(() =>
        {
            lock (_confirmations)
            {
                Monitor.PulseAll(_confirmations);
            }
        });
        lock (_confirmations)
        {
            while (_confirmedThrough < index)
            {
                if (sessionEnded.IsCancellationRequested)
                {
                    return false;
                }

                Monitor.Wait(_confirmations);
            }

            return true;
        }
    }

    /// <summary>Cancels the item if it has not started; false if it started (or the index is out of range).</summary>
    public bool TryCancel(uint index) =>
        index < _states.Length && Interlocked.CompareExchange(ref _states[index], Canceled, Pending) is Pending or Canceled;
}
