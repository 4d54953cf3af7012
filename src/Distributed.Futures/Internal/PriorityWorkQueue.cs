using System.Collections.Concurrent;

namespace Distributed.Futures.Internal;

/// <summary>
/// A thread pool's queue: higher priorities first, submission order within one. Priority 0, what
/// nearly every task has, stays a lock-free queue; the others wait in lanes under a lock, looked
/// at only while any of them holds something, so a pool that never sees a priority pays one read.
/// </summary>
internal sealed class PriorityWorkQueue<T>
    where T : class
{
    private readonly ConcurrentQueue<T> _default = new();
    private readonly Lock _lanesLock = new();

    // Other priorities, highest first; guarded by _lanesLock.
    private readonly SortedList<int, Queue<T>> _lanes = new(Comparer<int>.Create((a, b) => b.CompareTo(a)));
    private int _inLanes;

    public bool IsEmpty => _default.IsEmpty && Volatile.Read(ref _inLanes) == 0;

    public void Enqueue(T item, int priority)
    {
        if (priority == 0)
        {
            _default.Enqueue(item);
            return;
        }

        lock (_lanesLock)
        {
            if (!_lanes.TryGetValue(priority, out var lane))
            {
                _lanes[priority] = lane = new Queue<T>();
            }

            lane.Enqueue(item);
            Interlocked.Increment(ref _inLanes);
        }
    }

    public bool TryDequeue(out T item)
    {
        if (Volatile.Read(ref _inLanes) == 0)
        {
            return _default.TryDequeue(out item!);
        }

        return TryDequeueLane(above: true, out item) || _default.TryDequeue(out item!) || TryDequeueLane(above: false, out item);
    }

    /// <summary>Takes from the highest lane above 0 (<paramref name="above"/>) or below it.</summary>
    private bool TryDequeueLane(bool above, out T item)
    {
        lock (_lanesLock)
        {
            for (int i = 0; i < _lanes.Count; i++)
            {
                int priority = _lanes.Keys[i];
                if ((priority > 0) != above)
                {
                    continue;
                }

                var lane = _lanes.Values[i];
                if (lane.TryDequeue(out item!))
                {
                    if (lane.Count == 0)
                    {
                        _lanes.RemoveAt(i);
                    }

                    Interlocked.Decrement(ref _inLanes);
                    return true;
                }
            }
        }

        item = null!;
        return false;
    }
}
