using Distributed.Futures.Internal;

namespace Distributed.Futures;

public abstract partial class Future
{
    // Marks _completions once the future is done: nothing can be added any more.
    private static readonly object s_done = new();

    // Who to tell when the future becomes done, in the order they were added: null, one entry, a
    // CompletionList, or s_done. An entry is a user callback (Action<Future> or Future<T>'s typed
    // one), an await continuation (Action), or a FutureWaiter (Wait, AsCompleted, a blocked reader).
    private object? _completions;

    /// <summary>How many callbacks, continuations and waiters are registered: lets tests prove a wait removed its waiter.</summary>
    internal int RegisteredCompletionCount => Volatile.Read(ref _completions) switch
    {
        null => 0,
        CompletionList list => list.Count,
        var entry when ReferenceEquals(entry, s_done) => 0,
        _ => 1,
    };

    /// <summary>Registers a waiter, continuation or callback unless the future is already done.</summary>
    /// <returns>False if the future was already done (nothing was added).</returns>
    internal bool TryAddCompletion(object completion)
    {
        while (true)
        {
            object? current = Volatile.Read(ref _completions);
            if (ReferenceEquals(current, s_done))
            {
                return false;
            }

            if (current is CompletionList list)
            {
                // A list is only ever replaced by s_done, and it refuses additions once detached.
                return list.TryAdd(completion);
            }

            object replacement = current is null ? completion : new CompletionList(current, completion);
            if (ReferenceEquals(Interlocked.CompareExchange(ref _completions, replacement, current), current))
            {
                return true;
            }
        }
    }

    /// <summary>Removes a waiter that is no longer interested (a finished Wait, a timed-out reader).</summary>
    internal void RemoveCompletion(FutureWaiter waiter)
    {
        while (true)
        {
            object? current = Volatile.Read(ref _completions);
            if (current is CompletionList list)
            {
                list.Remove(waiter);
                return;
            }

            if (!ReferenceEquals(current, waiter)
                || ReferenceEquals(Interlocked.CompareExchange(ref _completions, null, waiter), waiter))
            {
                return;
            }
        }
    }

    /// <summary>Schedules an await continuation for when the future is done; never runs it inline.</summary>
    internal void AddContinuation(Action continuation)
    {
        if (!TryAddCompletion(continuation))
        {
            QueueContinuation(continuation);
        }
    }

    private protected void AddCallback(object callback)
    {
        if (!TryAddCompletion(callback))
        {
            InvokeCallback(callback);
        }
    }

    /// <summary>Blocks until the future is done.</summary>
    /// <exception cref="TimeoutException">Not done within <paramref name="timeout"/>.</exception>
    private protected void WaitUntilDone(TimeSpan? timeout)
    {
        if (IsDone)
        {
            return;
        }

        var deadline = Deadline.After(timeout);
        var reader = new BlockedReader();
        if (!deadline.HasExpired && TryAddCompletion(reader))
        {
            bool woken = reader.Wait(deadline);
            if (!woken)
            {
                RemoveCompletion(reader);
            }
        }

        if (!IsDone)
        {
            throw new TimeoutException($"Timed out after {timeout} waiting for {this}.");
        }
    }

    /// <summary>Takes the registered completions and closes the list to further additions.</summary>
    private object? DetachCompletions()
    {
        object? completions = Interlocked.Exchange(ref _completions, s_done);
        AssertDoneInvariants();
        return completions is CompletionList list ? list.Close() : completions;
    }

    /// <summary>
    /// What holds of a future from the moment it is done (checked in Debug builds, where the futures'
    /// stress tests also run): its state is final, it takes no more completions, and only a
    /// finished one (never a canceled one) can hold an exception.
    /// </summary>
    [System.Diagnostics.Conditional("DEBUG")]
    private void AssertDoneInvariants()
    {
        int state = _state;
        System.Diagnostics.Debug.Assert(IsDoneState(state), $"a future detached its completions in state {state}");
        System.Diagnostics.Debug.Assert(ReferenceEquals(_completions, s_done), "a done future still takes completions");
        System.Diagnostics.Debug.Assert(state == Finished || _exception is null, "a canceled future holds an exception");
    }

    private void RunCompletions(object? completions, Action<Action>? runCallbacks = null)
    {
        if (completions is not List<object> list)
        {
            if (completions is null)
            {
                return;
            }

            if (runCallbacks is not null && !IsWaiterOrContinuation(completions))
            {
                runCallbacks(() => RunCompletion(completions));
            }
            else
            {
                RunCompletion(completions);
            }

            return;
        }

        // Waiters and await continuations first, as Python notifies its waiters before it invokes
        // callbacks: a slow or blocking callback must not hold up Wait, AsCompleted or await.
        foreach (object completion in list)
        {
            if (IsWaiterOrContinuation(completion))
            {
                RunCompletion(completion);
            }
        }

        if (runCallbacks is not null)
        {
            runCallbacks(() => RunCallbacks(list));
        }
        else
        {
            RunCallbacks(list);
        }
    }

    private void RunCallbacks(List<object> list)
    {
        foreach (object completion in list)
        {
            if (!IsWaiterOrContinuation(completion))
            {
                RunCompletion(completion);
            }
        }
    }

    private static bool IsWaiterOrContinuation(object completion) => completion is FutureWaiter or Action;

    private static void QueueContinuation(Action continuation) =>
        ThreadPool.UnsafeQueueUserWorkItem(static action => action(), continuation, preferLocal: false);

    private void RunCompletion(object completion)
    {
        switch (completion)
        {
            case FutureWaiter waiter:
                waiter.OnFutureDone(this);
                break;
            case Action continuation:
                QueueContinuation(continuation);
                break;
            default:
                InvokeCallback(completion);
                break;
        }
    }

    private void InvokeCallback(object callback)
    {
        try
        {
            if (callback is Action<Future> untyped)
            {
                untyped(this);
            }
            else
            {
                InvokeTypedCallback(callback);
            }
        }
#pragma warning disable CA1031 // A failing callback must not stop the others or the executor thread.
        catch (Exception error)
#pragma warning restore CA1031
        {
            ReportCallbackFailure(error);
        }
    }

    private void ReportCallbackFailure(Exception error)
    {
        var handlers = CallbackFailed;
        if (handlers is null)
        {
            Console.Error.WriteLine($"Exception in done callback of {this}: {error}");
            return;
        }

        try
        {
            handlers(this, new FutureCallbackFailedEventArgs(this, error));
        }
#pragma warning disable CA1031 // The reporting hook itself failed; stderr is the last resort.
        catch (Exception hookError)
#pragma warning restore CA1031
        {
            Console.Error.WriteLine($"Exception in done callback of {this}: {error}{Environment.NewLine}and in the CallbackFailed handler: {hookError}");
        }
    }

    /// <summary>
    /// More than one registered completion. It locks only itself, and only while it is changed, so
    /// it never holds up a future that has a single waiter or callback (the common case).
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

    /// <summary>A thread blocked in Result or Exception, woken by the completion.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage(
        "Reliability",
        "CA1001:Types that own disposable fields should be disposable",
        Justification = "ManualResetEventSlim holds no OS handle unless WaitHandle is used; disposing it while a completer may still Set it would crash the completer.")]
    private sealed class BlockedReader : FutureWaiter
    {
        private readonly ManualResetEventSlim _done = new();

        public override void OnFutureDone(Future future) => _done.Set();

        /// <returns>False if the deadline passed first.</returns>
        public bool Wait(Deadline deadline)
        {
            // Task.Wait and friends take an int; loop so a deadline beyond int.MaxValue milliseconds holds.
            while (!_done.Wait(deadline.RemainingMilliseconds))
            {
                if (deadline.RemainingMilliseconds == 0)
                {
                    return false;
                }
            }

            return true;
        }
    }
}
