using System.Diagnostics;

namespace Distributed.Coordinator.Engine;

/// <summary>
/// The units waiting for a worker, oldest first (retried ones go to the front), linked through the
/// records themselves: a queued unit costs no node of its own, and leaves the queue in O(1) when
/// it is canceled. Guarded by the engine's lock.
/// </summary>
internal sealed class UnitQueue
{
    private UnitRecord? _last;

    public UnitRecord? First { get; private set; }

    /// <summary>How many units wait (not items: a chunk is one).</summary>
    public int Count { get; private set; }

    public void AddLast(UnitRecord record)
    {
        Debug.Assert(!record.Queued);
        record.Queued = true;
        record.Previous = _last;
        record.Next = null;
        if (_last is null)
        {
            First = record;
        }
        else
        {
            _last.Next = record;
        }

        _last = record;
        Count++;
    }

    public void AddFirst(UnitRecord record)
    {
        Debug.Assert(!record.Queued);
        record.Queued = true;
        record.Next = First;
        record.Previous = null;
        if (First is null)
        {
            _last = record;
        }
        else
        {
            First.Previous = record;
        }

        First = record;
        Count++;
    }

    /// <summary>Takes the unit out, wherever it is; a unit not queued is left alone.</summary>
    public void Remove(UnitRecord record)
    {
        if (!record.Queued)
        {
            return;
        }

        if (record.Previous is null)
        {
            First = record.Next;
        }
        else
        {
            record.Previous.Next = record.Next;
        }

        if (record.Next is null)
        {
            _last = record.Previous;
        }
        else
        {
            record.Next.Previous = record.Previous;
        }

        record.Queued = false;
        record.Next = null;
        record.Previous = null;
        Count--;
    }

    /// <summary>Empties the queue (the pool broke: every queued unit was failed).</summary>
    public void Clear()
    {
        while (First is { } record)
        {
            Remove(record);
        }
    }

    /// <summary>The queued units, oldest first: a snapshot, so the queue may change while it is read.</summary>
    public List<UnitRecord> ToList()
    {
        var units = new List<UnitRecord>(Count);
        for (var record = First; record is not null; record = record.Next)
        {
            units.Add(record);
        }

        return units;
    }

    /// <summary>The items waiting: open items of every queued unit.</summary>
    public int OpenItems()
    {
        int items = 0;
        for (var record = First; record is not null; record = record.Next)
        {
            items += record.OpenItems;
        }

        return items;
    }
}
