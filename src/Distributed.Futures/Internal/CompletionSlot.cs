namespace Distributed.Futures.Internal;

/// <summary>
/// Who a future tells when it becomes done, in the order they were added: nothing, one entry, a
/// list, or "done" (nothing can be added any more). An entry is a user callback, an await
/// continuation (<see cref="Action"/>), or a <see cref="FutureWaiter"/>. One reference wide, so a
/// future stays one small object; lock-free until a second entry comes.
/// </summary>
/// <remarks>
/// A mutable struct held in the future's own field and only ever used in place (never copied), so
/// its compare-and-swaps act on that field.
/// </remarks>
internal struct CompletionSlot
{
    // Marks the slot once its future is done: nothing can be added any more.
    private static readonly object s_done = new();

    private object? _value;

    /// <summary>How many entries are registered: lets tests prove a wait removed its waiter.</summary>
    public int Count => Volatile.Read(ref _value) switch
    {
        null => 0,
        CompletionList list => list.Count,
        var entry when ReferenceEquals(entry, s_done) => 0,
        _ => 1,
    };

    /// <summary>True once <see cref="Detach"/> was called.</summary>
    public bool IsClosed => ReferenceEquals(Volatile.Read(ref _value), s_done);

    /// <summary>Registers an entry unless the slot is closed.</summary>
    /// <returns>False if the future was already done (nothing was added).</returns>
    public bool TryAdd(object entry)
    {
        while (true)
        {
            object? current = Volatile.Read(ref _value);
            if (ReferenceEquals(current, s_done))
            {
                return false;
            }

            if (current is CompletionList list)
            {
                // A list is only ever replaced by s_done, and it refuses additions once detached.
                return list.TryAdd(entry);
            }

            object replacement = current is null ? entry : new CompletionList(current, entry);
            if (ReferenceEquals(Interlocked.CompareExchange(ref _value, replacement, current), current))
            {
                return true;
            }
        }
    }

    /// <summary>Removes a waiter that is no longer interested (a finished Wait, a timed-out reader).</summary>
    public void Remove(FutureWaiter waiter)
    {
        while (true)
        {
            object? current = Volatile.Read(ref _value);
            if (current is CompletionList list)
            {
                list.Remove(waiter);
                return;
            }

            if (!ReferenceEquals(current, waiter)
                || ReferenceEquals(Interlocked.CompareExchange(ref _value, null, waiter), waiter))
            {
                return;
            }
        }
    }

    /// <summary>Closes the slot to further additions and takes what was registered: null, one entry, or a <see cref="List{T}"/> of them.</summary>
    public object? Detach()
    {
        object? entries = Interlocked.Exchange(ref _value, s_done);
        return entries is CompletionList list ? list.Close() : entries;
    }

    /// <summary>
    /// More than one registered entry. It locks only itself, and only while it is changed, so it
    /// never holds up a future that has a single waiter or callback (the common case).
    /// </summary>
    private sealed class CompletionList(object first, object second)
    {
        private readonly List<object> _entries = [first, second];
        private bool _closed;

        public int Count
        {
            get
            {
                lock (_entries)
                {
                    return _closed ? 0 : _entries.Count;
                }
            }
        }

        public bool TryAdd(object entry)
        {
            lock (_entries)
            {
                if (!_closed)
                {
                    _entries.Add(entry);
                }

                return !_closed;
            }
        }

        public void Remove(object entry)
        {
            lock (_entries)
            {
                int index = _entries.FindIndex(e => ReferenceEquals(e, entry));
                if (!_closed && index >= 0)
                {
                    _entries.RemoveAt(index);
                }
            }
        }

        /// <summary>No more additions; returns the entries to run.</summary>
        public List<object> Close()
        {
            lock (_entries)
            {
                _closed = true;
                return _entries;
            }
        }
    }
}
