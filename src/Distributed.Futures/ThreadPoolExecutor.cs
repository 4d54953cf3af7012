using System.Collections.Concurrent;

namespace Distributed.Futures;

/// <summary>
/// Runs calls on a pool of at most <see cref="MaxWorkers"/> dedicated threads of this process
/// (Python's <c>ThreadPoolExecutor</c>). Threads start lazily, one per submit when none is idle,
/// and idle threads are reused. They are background threads: a pool that is never shut down does
/// not keep the process alive.
/// </summary>
public sealed class ThreadPoolExecutor : Executor
{
    // A worker that finds the queue empty spins this many rounds before it sleeps: in a burst of
    // submits the next item usually arrives within microseconds, and a sleep/wake costs far more.
    private const int SpinRoundsBeforeSleep = 20;

    private static int s_poolCounter = -1;

    [ThreadStatic]
    private static ThreadPoolExecutor? t_currentPool;

    private readonly ConcurrentQueue<IWorkItem> _queue = new();
    private readonly Lock _stateLock = new();
    private readonly object _sleepLock = new();
    private readonly List<Thread> _threads = [];
    private readonly TaskCompletionSource _terminated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly string _threadNamePrefix;
    private readonly Action? _initializer;

    // Workers not running a call: between calls, spinning, or asleep. A submit starts a new thread
    // only when this is zero. A worker counts itself idle before it publishes a result, so a caller
    // that waits for a result and then submits again finds it idle and no second thread starts.
    private int _idleWorkers;

    // Workers asleep on _sleepLock, or about to be. A submit that sees one pulses the lock; see
    // TryTakeWork for the handshake that makes a lost wake-up impossible.
    private int _sleepingWorkers;
    private int _liveWorkers;
    private volatile bool _shutdown;
    private volatile Exception? _initializerError;

    /// <summary>Creates a thread pool.</summary>
    /// <param name="maxWorkers">The most threads it runs; default <c>Math.Min(32, Environment.ProcessorCount + 4)</c>.</param>
    /// <param name="threadNamePrefix">Threads are named <c>"{prefix}_{i}"</c>; default <c>"ThreadPoolExecutor-{n}"</c>, n counting pools in this process.</param>
    /// <param name="initializer">Runs once in each worker thread before its first call. If it throws, the pool is broken:
    /// queued futures fail with <see cref="BrokenThreadPoolException"/> and so does every later submit.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxWorkers"/> is zero or negative.</exception>
    public ThreadPoolExecutor(int? maxWorkers = null, string? threadNamePrefix = null, Action? initializer = null)
    {
        if (maxWorkers is <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(maxWorkers), maxWorkers, "maxWorkers must be greater than 0.");
        }

        MaxWorkers = maxWorkers ?? Math.Min(32, Environment.ProcessorCount + 4);
        _threadNamePrefix = string.IsNullOrEmpty(threadNamePrefix)
            ? $"ThreadPoolExecutor-{Interlocked.Increment(ref s_poolCounter)}"
            : threadNamePrefix;
        _initializer = initializer;
    }

    /// <summary>Work a worker thread takes from the queue.</summary>
    private interface IWorkItem
    {
        /// <summary>Moves the future to Running; false if it was canceled (or completed by hand).</summary>
        bool TryStart();

        /// <summary>Runs the call and keeps its outcome, without publishing it yet.</summary>
        void Invoke();

        /// <summary>Completes the future with the outcome kept by <see cref="Invoke"/>.</summary>
        void Publish();

        /// <summary>Fails a queued item that will never run.</summary>
        void Fail(Exception error);

        bool Cancel();
    }

    /// <summary>The most threads this pool runs.</summary>
    public int MaxWorkers { get; }

    /// <inheritdoc/>
    /// <exception cref="InvalidOperationException"><paramref name="wait"/> is true and this is called from one of
    /// this pool's own threads, which cannot wait for itself. The shutdown has still begun.</exception>
    public override void Shutdown(bool wait = true, bool cancelFutures = false)
    {
        List<IWorkItem>? unstarted = null;
        Thread[] threads;
        lock (_stateLock)
        {
            _shutdown = true;
            if (cancelFutures)
            {
                unstarted = DrainQueueLocked();
            }

            threads = [.. _threads];
        }

        // Canceling runs callbacks, so it happens outside the lock.
        unstarted?.ForEach(item => item.Cancel());

        // Wake every worker: each either finds work left in the queue or sees the flag and exits.
        lock (_sleepLock)
        {
            Monitor.PulseAll(_sleepLock);
        }

        if (Volatile.Read(ref _liveWorkers) == 0)
        {
            _terminated.TrySetResult();
        }

        if (!wait)
        {
            return;
        }

        if (t_currentPool == this)
        {
            throw new InvalidOperationException(
                "Shutdown(wait: true) was called from one of this pool's own threads, which cannot wait for itself; use Shutdown(wait: false).");
        }

        foreach (var thread in threads)
        {
            thread.Join();
        }
    }

    /// <inheritdoc/>
    public override Task ShutdownAsync(bool cancelFutures = false)
    {
        Shutdown(wait: false, cancelFutures);
        return _terminated.Task;
    }

    /// <inheritdoc/>
    protected override Future<TResult> SubmitCall<TResult>(ExecutorCall<TResult> executorCall)
    {
        ArgumentNullException.ThrowIfNull(executorCall);
        var item = new WorkItem<TResult>(executorCall);
        lock (_stateLock)
        {
            if (_initializerError is { } error)
            {
                throw NewBroken(error);
            }

            if (_shutdown)
            {
                throw new InvalidOperationException("cannot schedule new futures after shutdown");
            }

            _queue.Enqueue(item);
            WakeOrStartWorkerLocked();
        }

        return item;
    }

    private static BrokenThreadPoolException NewBroken(Exception initializerError) =>
        new($"A thread initializer failed, the thread pool is not usable anymore: {initializerError.Message}", initializerError);

    private void WakeOrStartWorkerLocked()
    {
        if (Volatile.Read(ref _sleepingWorkers) > 0)
        {
            lock (_sleepLock)
            {
                Monitor.Pulse(_sleepLock);
            }
        }
        else if (Volatile.Read(ref _idleWorkers) == 0 && _threads.Count < MaxWorkers)
        {
            var thread = new Thread(WorkerLoop)
            {
                IsBackground = true,
                Name = $"{_threadNamePrefix}_{_threads.Count}",
            };
            _threads.Add(thread);
            Interlocked.Increment(ref _liveWorkers);
            thread.Start();
        }
    }

    private List<IWorkItem> DrainQueueLocked()
    {
        var drained = new List<IWorkItem>();
        while (_queue.TryDequeue(out var item))
        {
            drained.Add(item);
        }

        return drained;
    }

    private void WorkerLoop()
    {
        t_currentPool = this;
        bool countedIdle = false;
        try
        {
            if (!RunInitializer())
            {
                return;
            }

            while (TryTakeWork(ref countedIdle, out var item))
            {
                bool started = item.TryStart();
                if (started)
                {
                    item.Invoke();
                }

                Interlocked.Increment(ref _idleWorkers);
                countedIdle = true;
                if (started)
                {
                    item.Publish();
                }
            }
        }
        finally
        {
            if (countedIdle)
            {
                Interlocked.Decrement(ref _idleWorkers);
            }

            t_currentPool = null;
            if (Interlocked.Decrement(ref _liveWorkers) == 0 && _shutdown)
            {
                _terminated.TrySetResult();
            }
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
    private bool TryTakeWork(ref bool countedIdle, out IWorkItem item)
    {
        if (TryDequeue(ref countedIdle, out item))
        {
            return true;
        }

        if (!countedIdle)
        {
            Interlocked.Increment(ref _idleWorkers);
            countedIdle = true;
        }

        var spinner = default(SpinWait);
        for (int round = 0; round < SpinRoundsBeforeSleep; round++)
        {
            spinner.SpinOnce(sleep1Threshold: -1);
            if (TryDequeue(ref countedIdle, out item))
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
                    if (TryDequeue(ref countedIdle, out item))
                    {
                        return true;
                    }

                    if (_shutdown)
                    {
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

    private bool TryDequeue(ref bool countedIdle, out IWorkItem item)
    {
        if (!_queue.TryDequeue(out item!))
        {
            return false;
        }

        if (countedIdle)
        {
            Interlocked.Decrement(ref _idleWorkers);
            countedIdle = false;
        }

        return true;
    }

    /// <summary>The future doubles as the queue entry, so a submit allocates no separate work item.</summary>
    private sealed class WorkItem<TResult>(ExecutorCall<TResult> call) : Future<TResult>, IWorkItem
    {
        // Dropped as soon as the call has run (or will never run), so the function and its
        // arguments do not live as long as the future.
        private ExecutorCall<TResult>? _call = call;
        private TResult _outcome = default!;
        private Exception? _failure;

        public bool TryStart()
        {
            if (TrySetRunning())
            {
                return true;
            }

            _call = null;
            return false;
        }

        public void Invoke()
        {
            var call = _call!;
            _call = null;
            try
            {
                _outcome = call.Invoke();
            }
#pragma warning disable CA1031 // The call's exception is its outcome, delivered through the future.
            catch (Exception error)
#pragma warning restore CA1031
            {
                _failure = error;
            }
        }

        public void Publish()
        {
            if (_failure is { } failure)
            {
                _failure = null;
                TrySetException(failure);
            }
            else
            {
                var outcome = _outcome;
                _outcome = default!;
                TrySetResult(outcome);
            }
        }

        public void Fail(Exception error)
        {
            _call = null;
            TrySetException(error);
        }
    }
}
