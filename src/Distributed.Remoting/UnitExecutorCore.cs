using Distributed.Futures;

namespace Distributed.Remoting;

/// <summary>
/// What every executor that sends units does the same way, whichever backend it has: starts the
/// backend on the first submit (so a function that cannot be sent starts nothing), refuses submits
/// once broken or shut down, cancels everything queued in one request, and tears down once the
/// work in flight is done, also when the process exits with work still queued.
/// </summary>
/// <typeparam name="TBackend">Where the units go.</typeparam>
/// <param name="start">Starts the backend; called once, under the core's lock.</param>
/// <param name="ownFutures">Names the executor's futures in the error of a shutdown that would wait for itself ("this pool's own futures").</param>
/// <param name="drainAtProcessExit">The executor's <c>DrainAtProcessExit</c>: called once the backend started.</param>
/// <param name="stopDrainingAtProcessExit">The executor's <c>StopDrainingAtProcessExit</c>: called once it is torn down.</param>
internal sealed class UnitExecutorCore<TBackend>(Func<TBackend> start, string ownFutures, Action drainAtProcessExit, Action stopDrainingAtProcessExit)
    where TBackend : class, IUnitBackend
{
    private readonly object _lock = new();
    private TBackend? _backend;

    // Asked by each submit once its function passed (see UnitSubmission); made once, not per submit.
    private Func<IUnitSender>? _sender;
    private Task? _teardown;
    private bool _shutdown;

    /// <summary>The backend; null before the first submit.</summary>
    public TBackend? Backend
    {
        get
        {
            lock (_lock)
            {
                return _backend;
            }
        }
    }

    /// <summary>True once a shutdown began.</summary>
    public bool IsShutdown
    {
        get
        {
            lock (_lock)
            {
                return _shutdown;
            }
        }
    }

    /// <summary>What a submit throws because the backend is broken; null while it is not (or before it started).</summary>
    public BrokenExecutorException? BrokenError => Backend?.BrokenError switch
    {
        null => null,
        BrokenExecutorException broken => broken,
        var other => new BrokenExecutorException(other.Message, other),
    };

    /// <summary>Sends one call as a unit of one item; its future.</summary>
    public Future<TResult> SubmitCall<TResult>(ExecutorCall<TResult> call)
    {
        ArgumentNullException.ThrowIfNull(call);
        return UnitSubmission.Submit(Sender, [call], (link, unitId, returnType) => new RemoteFuture<TResult>(link, unitId, returnType));
    }

    /// <summary>Sends a Map chunk as one unit: one small object for all its items.</summary>
    public MapChunk<TResult> SubmitMapChunk<TResult>(IReadOnlyList<ExecutorCall<TResult>> calls)
    {
        ArgumentNullException.ThrowIfNull(calls);
        return UnitSubmission.Submit(Sender, calls, (link, unitId, returnType) => new RemoteMapChunk<TResult>(link, unitId, calls.Count, returnType));
    }

    /// <summary>
    /// <see cref="Executor.Shutdown"/>: with <paramref name="cancelFutures"/>, every task still queued
    /// is canceled (its future says so) before this returns, waiting or not.
    /// </summary>
    /// <exception cref="InvalidOperationException"><paramref name="wait"/> is true on the delivery thread of the executor's own futures.</exception>
    public void Shutdown(bool wait, bool cancelFutures)
    {
        var (backend, teardown, withdrawal) = BeginShutdown(cancelFutures);
        if (backend is null)
        {
            return;
        }

        // One request, one answer; a broken backend answers at once, a silent one within the limit.
        withdrawal.Wait(backend.WithdrawalLimit);
        if (!wait)
        {
            return;
        }

        if (backend.Sender.Units.IsDeliveryThread)
        {
            throw new InvalidOperationException(
                $"Shutdown(wait: true) was called from a callback of {ownFutures}, which cannot wait for itself; use Shutdown(wait: false).");
        }

        teardown.GetAwaiter().GetResult();
    }

    /// <summary><see cref="Executor.ShutdownAsync"/>.</summary>
    public async Task ShutdownAsync(bool cancelFutures)
    {
        var (backend, teardown, withdrawal) = BeginShutdown(cancelFutures);
        if (backend is null)
        {
            return;
        }

        await withdrawal.WaitAsync(backend.WithdrawalLimit, backend.Time).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await teardown.ConfigureAwait(false);
    }

    /// <summary>The process is exiting: the queued work finishes first (unless this is the delivery thread, which cannot wait for itself).</summary>
    public void FinishWorkAtProcessExit()
    {
        var (backend, teardown, _) = BeginShutdown(cancelFutures: false);
        if (backend is not null && !backend.Sender.Units.IsDeliveryThread)
        {
            teardown.GetAwaiter().GetResult();
        }
    }

    private Func<IUnitSender> Sender => _sender ??= () => Started().Sender;

    private TBackend Started()
    {
        lock (_lock)
        {
            if (_backend?.BrokenError is { } broken)
            {
                throw broken;
            }

            if (_shutdown)
            {
                throw new InvalidOperationException("cannot schedule new futures after shutdown");
            }

            if (_backend is null)
            {
                _backend = start();
                drainAtProcessExit();
            }

            return _backend;
        }
    }

    /// <returns>The backend (null before the first submit), its teardown, and the withdrawal of what is queued (done at once without cancelFutures).</returns>
    private (TBackend? Backend, Task Teardown, Task Withdrawal) BeginShutdown(bool cancelFutures)
    {
        TBackend? backend;
        Task teardown;
        bool first;
        lock (_lock)
        {
            _shutdown = true;
            backend = _backend;
            if (backend is null)
            {
                return (null, Task.CompletedTask, Task.CompletedTask);
            }

            first = _teardown is null;
            teardown = _teardown ??= TeardownAsync(backend);
        }

        // Outside the lock: the backend may call into its engine, which takes a lock of its own.
        // (The teardown waits for the units in flight, so it may already be under way.)
        if (first)
        {
            backend.StopTakingSubmits();
        }

        return (backend, teardown, cancelFutures ? backend.Sender.WithdrawAllAsync() : Task.CompletedTask);
    }

    private async Task TeardownAsync(TBackend backend)
    {
        // Started under the lock: the rest goes on elsewhere.
        await Task.Yield();
        await backend.TeardownAsync().ConfigureAwait(false);
        stopDrainingAtProcessExit();
    }
}
