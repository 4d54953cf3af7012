using System.Diagnostics;
using Distributed.Futures.Internal;

namespace Distributed.Futures;

/// <summary>
/// Runs calls on a pool of at most <see cref="MaxWorkers"/> dedicated threads of this process
/// (Python's <c>ThreadPoolExecutor</c>). Threads start lazily, one per submit when none is idle,
/// and idle threads are reused.
/// </summary>
/// <remarks>
/// Each call runs in the <see cref="ExecutionContext"/> of the code that submitted it (its
/// <c>AsyncLocal</c> values, culture, activity), as a <c>Task.Run</c> would. The threads are
/// background threads, so an idle pool never keeps the process alive; but as in Python, work that
/// was submitted is not lost when the program ends without shutting the pool down: at process exit
/// every pool still running finishes its queued work first.
/// </remarks>
public sealed partial class ThreadPoolExecutor : Executor
{
    private static int s_poolCounter = -1;

    private readonly PriorityWorkQueue<IWorkItem> _queue = new();
    private readonly Lock _stateLock = new();
    private readonly List<Thread> _threads = [];
    private readonly TaskCompletionSource _terminated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly string _threadNamePrefix;
    private readonly Action? _initializer;
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

    /// <summary>The most threads this pool runs.</summary>
    public int MaxWorkers { get; }

    /// <summary>The clock that task timeouts (<see cref="TaskOptions.Timeout"/>) are measured by; the system's unless set, as a test may.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>
    /// True when called on one of this pool's own threads (from a task it runs, or a callback run
    /// there): such a caller must not wait for this pool's shutdown, which would wait for itself.
    /// </summary>
    public bool OwnsCurrentThread => t_currentPool == this;

    /// <inheritdoc/>
    public override bool IsShutdown => _shutdown;

    /// <inheritdoc/>
    public override BrokenExecutorException? BrokenError => _initializerError is { } error ? NewBroken(error) : null;

    /// <inheritdoc/>
    /// <exception cref="InvalidOperationException"><paramref name="wait"/> is true and this is called from one of
    /// this pool's own threads, which cannot wait for itself. The shutdown has still begun.</exception>
    public override void Shutdown(bool wait = true, bool cancelFutures = false)
    {
        var threads = BeginShutdown(cancelFutures);
        if (!wait)
        {
            return;
        }

        if (WaitsForItself)
        {
            throw new InvalidOperationException(
                "Shutdown(wait: true) was called from one of this pool's own threads, which cannot wait for itself; use Shutdown(wait: false).");
        }

        foreach (var thread in threads)
        {
            thread.Join();
        }

        // Async tasks that await run on without a thread of the pool: they are waited for too.
        _terminated.Task.GetAwaiter().GetResult();
    }

    /// <inheritdoc/>
    public override Task ShutdownAsync(bool cancelFutures = false)
    {
        BeginShutdown(cancelFutures);
        return _terminated.Task;
    }

    /// <inheritdoc/>
    protected override bool SupportsTaskOptions => true;

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

            _queue.Enqueue(item, executorCall.Options.Priority);
            ThreadPoolMetrics.Submitted();
            if (!TryClaimIdleWorker() && _threads.Count < MaxWorkers)
            {
                StartWorkerLocked();
            }

            WakeOneSleeper();
        }

        return item;
    }

    /// <summary>True on a thread that runs this pool's work (a task, awaiting or not, or its callbacks): it cannot wait for the pool.</summary>
    private bool WaitsForItself => t_currentPool == this || s_awaitingIn.Value == this || t_publishingAwaited == this;

    private static BrokenThreadPoolException NewBroken(Exception initializerError) =>
        new($"A thread initializer failed, the thread pool is not usable anymore: {initializerError.Message}", initializerError);

    /// <inheritdoc/>
    protected internal override void FinishWorkAtProcessExit()
    {
        foreach (var thread in BeginShutdown(cancelFutures: false))
        {
            // Not the thread that runs the exit handlers, should it be one of the pool's. (A task
            // that calls Environment.Exit blocks in it while another thread runs them, so that
            // exit waits for the task: known, and not handled yet.)
            if (thread != Thread.CurrentThread)
            {
                thread.Join();
            }
        }

        // Then its awaiting async tasks, unless the process is ended by one of this pool's own tasks or callbacks.
        if (!WaitsForItself)
        {
            _terminated.Task.GetAwaiter().GetResult();
        }
    }

    /// <summary>Stops new submits and wakes every worker; returns the threads to join.</summary>
    private Thread[] BeginShutdown(bool cancelFutures)
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

        ProcessExitDrain.Unregister(this);

        // Canceling runs callbacks, so it happens outside the lock.
        unstarted?.ForEach(item => item.Discard());
        WakeAllSleepers();
        if (Volatile.Read(ref _liveWorkers) == 0 && Volatile.Read(ref _awaiting) == 0)
        {
            _terminated.TrySetResult();
        }

        return threads;
    }

    private void StartWorkerLocked()
    {
        Debug.Assert(_stateLock.IsHeldByCurrentThread);
        if (_threads.Count == 0)
        {
            ProcessExitDrain.Register(this);
        }

        var thread = new Thread(WorkerLoop)
        {
            IsBackground = true,
            Name = $"{_threadNamePrefix}_{_threads.Count}",
        };
        _threads.Add(thread);
        Interlocked.Increment(ref _liveWorkers);

        // UnsafeStart: the thread must not keep the first submitter's ExecutionContext; each call
        // runs in its own submitter's context instead.
        thread.UnsafeStart();
    }

    private List<IWorkItem> DrainQueueLocked()
    {
        Debug.Assert(_stateLock.IsHeldByCurrentThread);
        var drained = new List<IWorkItem>();
        while (_queue.TryDequeue(out var item))
        {
            drained.Add(item);
        }

        return drained;
    }
}
