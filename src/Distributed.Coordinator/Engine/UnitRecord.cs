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

    // Per item, the workers it was running on when they died, for the message that fails it.
    private Dictionary<uint, List<string>>? _losses;

    // Items a worker reported started (and its client was told were running) before it died: to
    // the client they run still, so they are never withdrawn as if they had not started.
    private HashSet<uint>? _startedBefore;

    // Some item was settled by the coordinator (with an error) rather than by a worker's outcome.
    private bool _settledUnrun;

    /// <param name="id">The coordinator's id of the unit.</param>
    /// <param name="client">Whose it is.</param>
    /// <param name="message">The unit; its count was validated before anything was allocated from it.</param>
    /// <param name="size">Its encoded size, for fitting it into a worker's messages.</param>
    public UnitRecord(ulong id, ClientSession client, CallUnit message, int size)
    {
        Id = id;
        Client = client;
        ClientUnitId = message.UnitId;
        Message = message;
        Size = size;
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

    /// <summary>The encoded size of <see cref="Message"/>.</summary>
    public int Size { get; }

    /// <summary>
    /// The most its message can take when it goes out: a copy sent again lists the items no longer
    /// open (or, isolated, all but one) as skipped, at most five bytes each.
    /// </summary>
    public int SizeAsSent => Isolated || OpenItems != Count ? Size + (5 * Count) : Size;

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

    /// <summary>
    /// The unit was possibly running on a worker that died. Until it is done it runs alone on a
    /// worker, one item at a time, so that a crash under it is pinned on exactly one item and
    /// nothing running beside it shares the blame.
    /// </summary>
    public bool Isolated { get; set; }

    /// <summary>When the unit went to its worker with exactly one item open, that item; otherwise -1.</summary>
    public int SoleItemSent { get; set; } = -1;

    public bool IsOpen(uint index) => index < _items.Length && _items[index] == ItemState.Open;

    public bool IsCanceled(uint index) => index < _items.Length && _items[index] == ItemState.Canceled;

    public void Cancel(uint index) => Close(index, ItemState.Canceled);

    /// <summary>Settles an item with an outcome the coordinator made (an error): it did not run to its end.</summary>
    public void Settle(uint index)
    {
        if (IsOpen(index))
        {
            _settledUnrun = true;
        }

        Close(index, ItemState.Settled);
    }

    /// <summary>Settles an item with its worker's outcome: it ran to its end.</summary>
    public void SettleRun(uint index) => Close(index, ItemState.Settled);

    /// <summary>True when every item that was not canceled ran to its end on a worker (so none of them kills workers).</summary>
    public bool RanToEnd => OpenItems == 0 && !_settledUnrun && _items.Any(i => i == ItemState.Settled);

    /// <summary>The first item still open at or after <paramref name="start"/>, or -1.</summary>
    public int NextOpenFrom(int start)
    {
        for (int i = Math.Max(start, 0); i < _items.Length; i++)
        {
            if (_items[i] == ItemState.Open)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>True if a worker reported the item started before (see <see cref="KeepStarted"/>).</summary>
    public bool StartedBefore(uint index) => _startedBefore?.Contains(index) == true;

    /// <summary>True if any item was reported started before its worker died.</summary>
    public bool AnyStartedBefore => _startedBefore is { Count: > 0 };

    /// <summary>Remembers, as the unit goes back to the queue, which of its open items had been reported started.</summary>
    public void KeepStarted()
    {
        for (uint index = 0; index <= StartedIndex && index < Count; index++)
        {
            if (IsOpen(index))
            {
                (_startedBefore ??= []).Add(index);
            }
        }
    }

    /// <summary>
    /// Records that the item's worker died under it; returns how many of those deaths count
    /// against its retries. One that does not count (see CoordinatorEngine.Churn) is still listed.
    /// </summary>
    public int RecordLoss(uint index, string loss, bool counts)
    {
        _losses ??= [];
        if (!_losses.TryGetValue(index, out var losses))
        {
            _losses[index] = losses = [];
        }

        losses.Add(loss);
        if (counts)
        {
            _attempts[index] = (byte)Math.Min(byte.MaxValue, _attempts[index] + 1);
        }

        return _attempts[index];
    }

    /// <summary>How many of the item's deaths count against its retries.</summary>
    public int CountedLosses(uint index) => _attempts[index];

    /// <summary>The deaths recorded for an item, oldest first.</summary>
    public IReadOnlyList<string> Losses(uint index) => _losses?.GetValueOrDefault(index) ?? [];

    private void Close(uint index, ItemState state)
    {
        if (IsOpen(index))
        {
            _items[index] = state;
            OpenItems--;
        }
    }
}
