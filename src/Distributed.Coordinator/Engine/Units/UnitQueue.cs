using System.Diagnostics;

namespace Distributed.Coordinator.Engine;

/// <summary>
/// The units waiting for a worker: higher priority first (<see cref="UnitRecord.Priority"/>), and
/// within one priority oldest first, retried ones at the front. Each priority is a lane linked
/// through the records themselves: a queued unit costs no node of its own, and leaves the queue
/// in O(1) when it is canceled. Priority 0, nearly every unit's, is a lane of its own, so a queue
/// that never sees another priority looks at nothing else. Guarded by the engine's lock.
/// </summary>
internal sealed class UnitQueue
{
    private readonly UnitLane _default = new();

    // Lanes of other priorities, highest first; a lane leaves when it is empty.
    private readonly SortedList<int, UnitLane> _others = new(Comparer<int>.Create((a, b) => b.CompareTo(a)));

    /// <summary>The unit to dispatch next: the front of the highest lane that holds one.</summary>
    public UnitRecord? First
    {
        get
        {
            if (_others.Count == 0)
            {
                return _default.First;
            }

            foreach (var (priority, lane) in _others)
            {
                if (priority < 0 && _default.First is { } first)
                {
                    return first;
                }

                if (lane.First is { } head)
                {
                    return head;
                }
            }

            return _default.First;
        }
    }

    /// <summary>How many units wait (not items: a chunk is one).</summary>
    public int Count { get; private set; }

    public void AddLast(UnitRecord record)
    {
        LaneFor(record.Priority).AddLast(record);
        Count++;
    }

    public void AddFirst(UnitRecord record)
    {
        LaneFor(record.Priority).AddFirst(record);
        Count++;
    }

    /// <summary>Takes the unit out, wherever it is; a unit not queued is left alone.</summary>
    public void Remove(UnitRecord record)
    {
        if (!record.Queued)
        {
            return;
        }

        int priority = record.Priority;
        var lane = priority == 0 ? _default : _others[priority];
        lane.Remove(record);
        if (priority != 0 && lane.First is null)
        {
            _others.Remove(priority);
        }

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

    /// <summary>The queued units in dispatch order: a snapshot, so the queue may change while it is read.</summary>
    public List<UnitRecord> ToList()
    {
        var units = new List<UnitRecord>(Count);
        bool defaultDone = false;
        foreach (var (priority, lane) in _others)
        {
            if (priority < 0 && !defaultDone)
            {
                _default.AppendTo(units);
                defaultDone = true;
            }

            lane.AppendTo(units);
        }

        if (!defaultDone)
        {
            _default.AppendTo(units);
        }

        return units;
    }

    /// <summary>The items waiting: open items of every queued unit.</summary>
    public int OpenItems()
    {
        int items = _default.OpenItems();
        foreach (var lane in _others.Values)
        {
            items += lane.OpenItems();
        }

        return items;
    }

    private UnitLane LaneFor(int priority)
    {
        if (priority == 0)
        {
            return _default;
        }

        if (!_others.TryGetValue(priority, out var lane))
        {
            _others[priority] = lane = new UnitLane();
        }

        return lane;
    }

    /// <summary>The units of one priority, oldest first, linked through the records.</summary>
    private sealed class UnitLane
    {
        private UnitRecord? _last;

        public UnitRecord? First { get; private set; }

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
        }

        public void Remove(UnitRecord record)
        {
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
        }

        public void AppendTo(List<UnitRecord> units)
        {
            for (var record = First; record is not null; record = record.Next)
            {
                units.Add(record);
            }
        }

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
}
