namespace Distributed.Futures;

public sealed partial class ThreadPoolExecutor
{
    // A worker that finds the queue empty spins this many rounds before it sleeps: in a burst of
    // submits the next item usually arrives within microseconds, and a sleep/wake costs far more.
    private const int SpinRoundsBeforeSleep = 20;

    [ThreadStatic]
    private static ThreadPoolExecutor? t_currentPool;

    // True on a worker thread while it completes a future (and so runs its done callbacks) holding
    // an idle token: a submit made from such a callback must not count this very thread as idle.
    [ThreadStatic]
    private static bool t_publishingWhileIdle;

    // The pool whose async task is running in this flow, if any (see WorkItem.InvokeCall).
    private static readonly AsyncLocal<ThreadPoolExecutor?> s_awaitingIn = new();

    // The pool whose awaited task's outcome this thread is publishing (and so running callbacks of).
    [ThreadStatic]
    private static ThreadPoolExecutor? t_publishingAwaited;

    private readonly object _sleepLock = new();

    // Tasks running: those a thread is running, and async ones awaiting without a thread. MaxWorkers
    // bounds these, not the threads: a thread whose task awaits goes back for work, and takes some
    // only while this is below MaxWorkers.
    private int _running;

    // Async tasks awaiting without a thread; a shutdown that waits waits for these too.
    private int _awaiting;

    // Idle workers that no submit has claimed yet: Python's _idle_semaphore, but exact. A worker
    // adds its token when it runs out of work, and each submit claims one token or, failing that,
    // starts a thread (up to MaxWorkers). So every submit is covered by a worker of its own, and
    // one worker is never counted by two submits.
    private int _idleTokens;

    // Workers asleep on _sleepLock, or about to be; see TryTakeWork.
    private int _sleepingWorkers;
    private int _liveWorkers;

    private void WorkerLoop()
    {
        t_currentPool = this;
        bool holdsToken = false;
        try
        {
            if (!RunInitializer())
            {
                return;
            }

            while (TryTakeWork(ref holdsToken, out var item))
            {
                bool started = item.TryStart();
                if (started && !item.Invoke(this))
                {
                    // Its task awaits, and keeps its place among the running: it publishes itself.
                    continue;
                }

                Interlocked.Decrement(ref _running);

                // Nothing queued: advertise idleness before publishing, so a caller woken by the
                // result that submits again finds this thread idle and no second thread starts.
                if (!holdsToken && _queue.IsEmpty)
                {
                    Interlocked.Increment(ref _idleTokens);
                    holdsToken = true;
                }

                if (started)
                {
                    t_publishingWhileIdle = holdsToken;
                    try
                    {
                        item.Publish();
                    }
                    finally
                    {
                        t_publishingWhileIdle = false;
                    }
                }
            }
        }
        finally
        {
            if (holdsToken)
            {
                TryDecrementAbove(ref _idleTokens, floor: 0);
            }

            t_currentPool = null;
            if (Interlocked.Decrement(ref _liveWorkers) == 0 && _shutdown && Volatile.Read(ref _awaiting) == 0)
            {
                _terminated.TrySetResult();
            }
        }
    }

    /// <summary>Threads waiting for work, for tests: a thread whose task awaits is one of them.</summary>
    internal int IdleThreadCount => Volatile.Read(ref _idleTokens);

    /// <summary>A thread's task began to await: it runs on without the thread.</summary>
    private void OnAwaiting() => Interlocked.Increment(ref _awaiting);

    /// <summary>
    /// An awaiting task ended: its place among the running is free (a thread waiting for one is
    /// woken), then its outcome is published here, where its last await resumed.
    /// </summary>
    private void OnAwaitedDone(IWorkItem item)
    {
        // Both steps are full fences, as a submit's are: see TryTakeWork.
        Interlocked.Decrement(ref _running);
        if (_shutdown)
        {
            // Every sleeper looks again: it may run what is queued, or leave.
            WakeAllSleepers();
        }
        else if (!_queue.IsEmpty)
        {
            WakeOneSleeper();
        }

        // Its callbacks run here: one that waits for this pool's shutdown would wait for itself.
        t_publishingAwaited = this;
        try
        {
            item.Publish();
        }
        finally
        {
            t_publishingAwaited = null;
        }

        if (Interlocked.Decrement(ref _awaiting) == 0 && _shutdown && Volatile.Read(ref _liveWorkers) == 0)
        {
            _terminated.TrySetResult();
        }
    }

    private bool RunInitializer()
    {
        if (_initializer is null)
        {
            return true;
        }

        try
        {
            _initializer();
            return true;
        }
#pragma warning disable CA1031 // Any initializer failure breaks the pool; it is reported on every queued future.
        catch (Exception error)
#pragma warning restore CA1031
        {
            List<IWorkItem> queued;
            lock (_stateLock)
            {
                _initializerError ??= error;
                queued = DrainQueueLocked();
            }

            foreach (var item in queued)
            {
                item.Fail(NewBroken(error));
            }

            return false;
        }
    }

    /// <summary>
    /// Takes the next item, sleeping while the queue is empty; false when the worker should exit.
    /// </summary>
    /// <remarks>
    /// The wake-up handshake: a sleeper counts itself in <see cref="_sleepingWorkers"/> and then looks
    /// at the queue once more, under <see cref="_sleepLock"/>; a submitter enqueues and then reads the
    /// count. Both first steps are full fences, so at least one side sees the other: either the
    /// sleeper finds the item, or the submitter pulses, and because it must take the lock to pulse,
    /// the pulse cannot slip in between the sleeper's last look and its wait.
    /// </remarks>
    private bool TryTakeWork(ref bool holdsToken, out IWorkItem item)
    {
        if (TryDequeue(ref holdsToken, out item))
        {
            return true;
        }

        if (!holdsToken)
        {
            Interlocked.Increment(ref _idleTokens);
            holdsToken = true;
        }

        var spinner = default(SpinWait);
        for (int round = 0; round < SpinRoundsBeforeSleep; round++)
        {
            spinner.SpinOnce(sleep1Threshold: -1);
            if (TryDequeue(ref holdsToken, out item))
            {
                return true;
            }
        }

        lock (_sleepLock)
        {
            Interlocked.Increment(ref _sleepingWorkers);
            try
            {
                while (true)
                {
                    if (TryDequeue(ref holdsToken, out item))
                    {
                        return true;
                    }

                    // Work still queued waits for a place among the running, even after shutdown.
                    if (_shutdown && _queue.IsEmpty)
                    {
                        // A sleeper that waited for such a place must look again, and leave too.
                        Monitor.PulseAll(_sleepLock);
                        return false;
                    }

                    Monitor.Wait(_sleepLock);
                }
            }
            finally
            {
                Interlocked.Decrement(ref _sleepingWorkers);
            }
        }
    }

    /// <summary>Takes an item; a worker that takes work gives up its idle token if a submit has not claimed it.</summary>
    /// <remarks>
    /// When this worker's token was claimed, it may take another idle worker's token instead. That
    /// only ever makes the count too low, which at worst starts a thread early; it is never too high,
    /// which could leave a submit without a worker.
    /// </remarks>
    private bool TryDequeue(ref bool holdsToken, out IWorkItem item)
    {
        // A place among the running first (given back by the caller once the item is done); none
        // is taken when nothing is queued, so idle spinners do not contend with busy workers.
        if (_queue.IsEmpty || !TryIncrementBelow(ref _running, MaxWorkers))
        {
            item = null!;
            return false;
        }

        if (!_queue.TryDequeue(out item!))
        {
            Interlocked.Decrement(ref _running);
            return false;
        }

        if (holdsToken)
        {
            TryDecrementAbove(ref _idleTokens, floor: 0);
            holdsToken = false;
        }

        return true;
    }

    /// <summary>Claims an idle worker for a new submit; false if none is idle.</summary>
    private bool TryClaimIdleWorker()
    {
        // A done callback running on one of this pool's threads that submits (and perhaps waits)
        // cannot be served by its own thread: leave that thread's token alone.
        int floor = t_publishingWhileIdle && t_currentPool == this ? 1 : 0;
        return TryDecrementAbove(ref _idleTokens, floor);
    }

    private static bool TryIncrementBelow(ref int counter, int ceiling)
    {
        int value = Volatile.Read(ref counter);
        while (value < ceiling)
        {
            int seen = Interlocked.CompareExchange(ref counter, value + 1, value);
            if (seen == value)
            {
                return true;
            }

            value = seen;
        }

        return false;
    }

    private static bool TryDecrementAbove(ref int counter, int floor)
    {
        int value = Volatile.Read(ref counter);
        while (value > floor)
        {
            int seen = Interlocked.CompareExchange(ref counter, value - 1, value);
            if (seen == value)
            {
                return true;
            }

            value = seen;
        }

        return false;
    }

    private void WakeOneSleeper()
    {
        if (Volatile.Read(ref _sleepingWorkers) > 0)
        {
            lock (_sleepLock)
            {
                Monitor.Pulse(_sleepLock);
            }
        }
    }

    private void WakeAllSleepers()
    {
        lock (_sleepLock)
        {
            Monitor.PulseAll(_sleepLock);
        }
    }
}
