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

    /// <summary>Cancels the item if it has not started; false if it started (or the index is out of range).</summary>
    public bool TryCancel(uint index) =>
        index < _states.Length && Interlocked.CompareExchange(ref _states[index], Canceled, Pending) is Pending or Canceled;
}
