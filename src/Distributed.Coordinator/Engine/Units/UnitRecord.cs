using System.Runtime.InteropServices;
using Distributed.Coordinator.Wire;
using Distributed.Protocol.V1;
using Google.Protobuf;

namespace Distributed.Coordinator.Engine;

/// <summary>
/// The coordinator's view of one unit (a call, or a Map chunk of items): whose it is, where it is,
/// and what became of each item. The coordinator is the single source of truth for an item's
/// state: open (to run), canceled, or settled (its outcome went to the client).
/// </summary>
/// <remarks>
/// A queued unit is the bulk of a coordinator's memory, so this is kept small: the arguments stay
/// the bytes they arrived as, a single call keeps its one item's state in a field rather than an
/// array, the queue links through the record itself, and what only a unit whose worker died
/// needs (its losses) is allocated when one does.
/// </remarks>
internal sealed class UnitRecord
{
    // Per item, for units of more than one; a unit of one keeps it in _single.
    private readonly ItemState[]? _items;

    // The arguments as received: null (none), one encoded column (its bytes, or its ByteString
    // when those are a slice of something larger), or an array of them.
    private readonly object? _arguments;
    private ItemState _single;
    private bool _settledUnrun;
    private Troubles? _troubles;

    /// <param name="id">The coordinator's id of the unit.</param>
    /// <param name="client">Whose it is.</param>
    /// <param name="message">The unit; its count was validated before anything was allocated from it.</param>
    /// <param name="size">Its encoded size, for fitting it into a worker's messages.</param>
    public UnitRecord(ulong id, ClientSession client, ForwardedUnit message, int size)
    {
        Id = id;
        Client = client;
        ClientUnitId = message.UnitId;
        FunctionId = message.FunctionId;
        MaxOutcomeBytes = message.MaxOutcomeBytes;
        Options = message.Options;
        Trace = message.Traceparent.Length > 0 ? new UnitTrace(message.Traceparent, message.Tracestate) : null;
        Size = size;
        Count = (int)message.Count;
        _items = Count == 1 ? null : new ItemState[Count];
        _arguments = message.Arguments.Count switch
        {
            0 => null,
            1 => Compact(message.Arguments[0]),
            _ => message.Arguments.ToArray(),
        };
        OpenItems = Count;

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

    public uint FunctionId { get; }

    /// <summary>The largest outcome message its client takes.</summary>
    public uint MaxOutcomeBytes { get; }

    /// <summary>How its items run (timeout, retries, priority), as its client sent them; null: the defaults.</summary>
    public TaskOptions? Options { get; }

    /// <summary>The trace its client's call belongs to; null: none came with it.</summary>
    public UnitTrace? Trace { get; }

    /// <summary>How many times it went to a worker: its attempt number, as workers and spans see it.</summary>
    public int Dispatches { get; set; }

    /// <summary>Its place in the queue: higher first (see <see cref="UnitQueue"/>).</summary>
    public int Priority => Options?.Priority ?? 0;

    /// <summary>When it last went to a worker (the engine clock's timestamp), to tell a worker that is overdue.</summary>
    public long AssignedAt { get; set; }

    /// <summary>When it last joined the queue (a timestamp of the engine's clock), for the queue-wait measurement.</summary>
    public long QueuedAt { get; set; }

    /// <summary>The encoded size of the unit as it arrived.</summary>
    public int Size { get; }

    /// <summary>
    /// The most its message can take when it goes out: a copy sent again lists the items no longer
    /// open (or, isolated, all but one) as skipped, at most five bytes each.
    /// </summary>
    public int SizeAsSent => Isolated || OpenItems != Count ? Size + (5 * Count) : Size;

    public int Count { get; }

    public int OpenItems { get; private set; }

    /// <summary>The worker running it, or null while queued.</summary>
    public WorkerSession? Worker { get; set; }

    /// <summary>Where <see cref="Worker"/> holds it, so that letting go of it is one step.</summary>
    public LinkedListNode<UnitRecord>? HeldAt { get; set; }

    /// <summary>True while it waits in the queue.</summary>
    public bool Queued { get; set; }

    /// <summary>The queue's links (see <see cref="UnitQueue"/>); null at either end.</summary>
    public UnitRecord? Next { get; set; }

    /// <inheritdoc cref="Next"/>
    public UnitRecord? Previous { get; set; }

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

    /// <summary>True when every item that was not canceled ran to its end on a worker (so none of them kills workers).</summary>
    public bool RanToEnd
    {
        get
        {
            if (OpenItems > 0 || _settledUnrun)
            {
                return false;
            }

            for (int i = 0; i < Count; i++)
            {
                if (State(i) == ItemState.Settled)
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>True if any item was reported started before its worker died.</summary>
    public bool AnyStartedBefore => _troubles?.StartedBefore is { Count: > 0 };

    /// <summary>The unit as it goes to a worker: its arguments as they came, under the coordinator's id.</summary>
    public ForwardedUnit ToMessage()
    {
        var unit = new ForwardedUnit { UnitId = Id, FunctionId = FunctionId, Count = (uint)Count, MaxOutcomeBytes = MaxOutcomeBytes, Options = Options, Attempt = (uint)Dispatches };
        if (Trace is { } trace)
        {
            unit.Traceparent = trace.Parent;
            unit.Tracestate = trace.State;
        }

        switch (_arguments)
        {
            case byte[] bytes:
                // Never written to: they were a ByteString's, and only ever read since.
                unit.Arguments.Add(UnsafeByteOperations.UnsafeWrap(bytes));
                break;
            case ByteString one:
                unit.Arguments.Add(one);
                break;
            case ByteString[] many:
                unit.Arguments.AddRange(many);
                break;
        }

        return unit;
    }

    public bool IsOpen(uint index) => index < Count && State((int)index) == ItemState.Open;

    public bool IsCanceled(uint index) => index < Count && State((int)index) == ItemState.Canceled;

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

    /// <summary>The first item still open at or after <paramref name="start"/>, or -1.</summary>
    public int NextOpenFrom(int start)
    {
        for (int i = Math.Max(start, 0); i < Count; i++)
        {
            if (State(i) == ItemState.Open)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>True if a worker reported the item started before (see <see cref="KeepStarted"/>).</summary>
    public bool StartedBefore(uint index) => _troubles?.StartedBefore?.Contains(index) == true;

    /// <summary>Remembers, as the unit goes back to the queue, which of its open items had been reported started.</summary>
    public void KeepStarted()
    {
        for (uint index = 0; index <= StartedIndex && index < Count; index++)
        {
            if (IsOpen(index))
            {
                ((_troubles ??= new()).StartedBefore ??= []).Add(index);
            }
        }
    }

    /// <summary>
    /// Records that the item's worker died under it; returns how many of those deaths count
    /// against its retries. One that does not count (see ChurnEvidence) is still listed.
    /// </summary>
    public int RecordLoss(uint index, string loss, bool counts)
    {
        var troubles = _troubles ??= new();
        troubles.Attempts ??= new byte[Count];
        troubles.Losses ??= [];
        if (!troubles.Losses.TryGetValue(index, out var losses))
        {
            troubles.Losses[index] = losses = [];
        }

        losses.Add(loss);
        if (counts)
        {
            troubles.Attempts[index] = (byte)Math.Min(byte.MaxValue, troubles.Attempts[index] + 1);
        }

        return troubles.Attempts[index];
    }

    /// <summary>
    /// The item threw one of its retry types on a worker: true (and counted) if it has a retry
    /// left, and so stays open to run again; false if its retries are used up.
    /// </summary>
    public bool TryRetryAfterException(uint index)
    {
        int allowed = (int)(Options?.MaxRetries ?? 0);
        if (!IsOpen(index) || allowed == 0)
        {
            return false;
        }

        var retries = (_troubles ??= new()).ExceptionRetries ??= new byte[Count];
        if (retries[index] >= allowed)
        {
            return false;
        }

        retries[index]++;
        return true;
    }

    /// <summary>The item's CancellationToken was canceled while a worker held it.</summary>
    public void MarkTokenCanceled(uint index) => ((_troubles ??= new()).TokenCanceled ??= []).Add(index);

    /// <summary>True if the item's CancellationToken was canceled while a worker held it (see <see cref="MarkTokenCanceled"/>).</summary>
    public bool IsTokenCanceled(uint index) => _troubles?.TokenCanceled?.Contains(index) == true;

    /// <summary>True if any item's CancellationToken was canceled while a worker held it.</summary>
    public bool AnyTokenCanceled => _troubles?.TokenCanceled is { Count: > 0 };

    /// <summary>How many of the item's deaths count against its retries.</summary>
    public int CountedLosses(uint index) => _troubles?.Attempts?[index] ?? 0;

    /// <summary>The deaths recorded for an item, oldest first.</summary>
    public IReadOnlyList<string> Losses(uint index) => _troubles?.Losses?.GetValueOrDefault(index) ?? [];

    /// <summary>A column's own array when it is all of one (as parsed ones are), which saves the ByteString around it.</summary>
    private static object Compact(ByteString column) =>
        MemoryMarshal.TryGetArray(column.Memory, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : column;

    private ItemState State(int index) => _items is null ? _single : _items[index];

    private void Close(uint index, ItemState state)
    {
        if (!IsOpen(index))
        {
            return;
        }

        if (_items is null)
        {
            _single = state;
        }
        else
        {
            _items[index] = state;
        }

        OpenItems--;
    }

    /// <summary>What only a unit whose worker died (or was reported started and then died) keeps.</summary>
    private sealed class Troubles
    {
        // Per item, the deaths that count against its retries.
        public byte[]? Attempts { get; set; }

        // Per item, the workers it was running on when they died, for the message that fails it.
        public Dictionary<uint, List<string>>? Losses { get; set; }

        // Items a worker reported started (and its client was told were running) before it died:
        // to the client they run still, so they are never withdrawn as if they had not started.
        public HashSet<uint>? StartedBefore { get; set; }

        /// <summary>Per item, how many times it ran again after throwing one of its retry types.</summary>
        public byte[]? ExceptionRetries { get; set; }

        /// <summary>Items whose CancellationToken was canceled while a worker held them.</summary>
        public HashSet<uint>? TokenCanceled { get; set; }
    }
}
