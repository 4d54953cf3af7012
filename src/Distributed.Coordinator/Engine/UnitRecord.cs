using Distributed.Protocol.V1;

namespace Distributed.Coordinator.Engine;

/// <summary>
/// The coordinator's view of one unit (a call, or a Map chunk of items): whose it is, where it is,
/// and what became of each item. The coordinator is the single source of truth for an item's
/// state: open (to run), canceled, or settled (its outcome went to the client).
/// </summary>
internal sealed class UnitRecord
{
    private readonly ItemState[] _items;
    private readonly byte[] _attempts;

    public UnitRecord(ulong id, ClientSession client, CallUnit message)
    {
        Id = id;
        Client = client;
        ClientUnitId = message.UnitId;
        Message = message;
        _items = new ItemState[message.Count];
        _attempts = new byte[message.Count];
        OpenItems = _items.Length;

        // Items the client already settled itself (an argument it could not encode) never run.
        foreach (uint index in message.Skip)
        {
            Cancel(index);
        }
    }

    private enum ItemState : byte
    {
        Open,
        Canceled,
        Settled,
    }

    public ulong Id { get; }

    public ClientSession Client { get; }

    public ulong ClientUnitId { get; }

    /// <summary>The unit as it goes to workers; its unit id is the coordinator's, not the client's.</summary>
    public CallUnit Message { get; }

    public int Count => _items.Length;

    public int OpenItems { get; private set; }

    /// <summary>The worker running it, or null while queued.</summary>
    public WorkerSession? Worker { get; set; }

    /// <summary>The queue node while queued, so a fully canceled unit leaves the queue at once.</summary>
    public LinkedListNode<UnitRecord>? QueueNode { get; set; }

    /// <summary>What the unit was expected to take when it was assigned (NaN: its function was never measured).</summary>
    public double EstimatedNanos { get; set; } = double.NaN;

    /// <summary>The last item the worker reported started, or -1.</summary>
    public int StartedIndex { get; set; } = -1;

    public bool IsOpen(uint index) => index < _items.Length && _items[index] == ItemState.Open;

    public bool IsCanceled(uint index) => index < _items.Length && _items[index] == ItemState.Canceled;

    public void Cancel(uint index) => Close(index, ItemState.Canceled);

    public void Settle(uint index) => Close(index, ItemState.Settled);

    /// <summary>The first item still open, or -1.</summary>
    public int FirstOpen() => Array.IndexOf(_items, ItemState.Open);

    /// <summary>Counts one more attempt that the item's worker died in; returns the total.</summary>
    public int BlameWorkerLoss(uint index) => ++_attempts[index];

    private void Close(uint index, ItemState state)
    {
        if (IsOpen(index))
        {
            _items[index] = state;
            OpenItems--;
        }
    }
}
