using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using Distributed.Futures.Internal;

namespace Distributed.Futures;

/// <summary>
/// The eventual outcome of a call: a result, an exception, or a cancellation (Python's
/// <c>concurrent.futures.Future</c>). An executor creates one per submitted call and completes it;
/// callers wait on it, poll it, cancel it, attach callbacks or <c>await</c> it.
/// </summary>
/// <remarks>
/// Every state change happens under one lock per future; waiters are woken and callbacks run after
/// that lock is released, so a callback may freely call back into the future or into others.
/// The non-generic type is the view that mixes futures of different result types; create a
/// <see cref="Future{T}"/> to get one.
/// </remarks>
public abstract partial class Future
{
    private readonly object _sync = new();
    private volatile FutureState _state;
    private ExceptionDispatchInfo? _exception;

    // Who to tell when the future becomes done, in the order they were added: null, a single entry
    // or a List<object>. An entry is a user callback (Action<Future> or Future<T>'s typed one), an
    // await continuation (Action), or a FutureWaiter. Detached (set to null) once the future is done.
    private object? _completions;

    // Threads blocked in Monitor.Wait on _sync; completing pulses only when there are some.
    private int _blockedReaders;

    private protected Future()
    {
    }

    /// <summary>
    /// Raised when a done callback throws. The exception is swallowed either way and later callbacks
    /// still run; with no handler attached it is written to standard error, as Python logs it.
    /// </summary>
    public static event EventHandler<FutureCallbackFailedEventArgs>? CallbackFailed;

    /// <summary>The current state.</summary>
    public FutureState State => _state;

    /// <summary>True once the future was canceled (Python's <c>cancelled()</c>).</summary>
    public bool IsCanceled => _state is FutureState.Canceled or FutureState.CanceledAndNotified;

    /// <summary>True while an executor runs the call (Python's <c>running()</c>).</summary>
    public bool IsRunning => _state == FutureState.Running;

    /// <summary>True once the future finished or was canceled (Python's <c>done()</c>).</summary>
    public bool IsDone => IsDoneState(_state);

    /// <summary>True once the future finished with an exception (not a cancellation).</summary>
    internal bool HasFailed => _state == FutureState.Finished && _exception is not null;

    /// <summary>How many callbacks, continuations and waiters are registered: lets tests prove a wait removed its waiter.</summary>
    internal int RegisteredCompletionCount
    {
        get
        {
            lock (_sync)
            {
                return _completions switch
                {
                    null => 0,
                    List<object> list => list.Count,
                    _ => 1,
                };
            }
        }
    }

    /// <summary>Waits for the outcome and returns the result, boxed.</summary>
    /// <param name="timeout">How long to wait: <c>null</c> or <see cref="Timeout.InfiniteTimeSpan"/> waits forever; zero or negative does not wait.</param>
    /// <returns>The call's result; <c>null</c> for a call that returns nothing.</returns>
    /// <exception cref="FutureCanceledException">The future was canceled.</exception>
    /// <exception cref="TimeoutException">The future was not done in time.</exception>
    /// <remarks>If the call failed, its own exception object is rethrown with its stack trace preserved.</remarks>
    public object? Result(TimeSpan? timeout = null)
    {
        WaitUntilDone(timeout);
        ThrowIfNotSuccessful();
        return GetBoxedResult();
    }

    /// <summary>Waits for the outcome and returns the call's exception, or <c>null</c> if it succeeded.</summary>
    /// <param name="timeout">How long to wait, as for <see cref="Result(TimeSpan?)"/>.</param>
    /// <exception cref="FutureCanceledException">The future was canceled.</exception>
    /// <exception cref="TimeoutException">The future was not done in time.</exception>
    public Exception? Exception(TimeSpan? timeout = null)
    {
        WaitUntilDone(timeout);
        if (IsCanceled)
        {
            throw new FutureCanceledException();
        }

        return _exception?.SourceException;
    }

    /// <summary>
    /// Cancels the call if it has not started. Waiters wake and callbacks run once.
    /// </summary>
    /// <returns>True if the future is canceled (now or before); false if it is running or finished.</returns>
    public bool Cancel()
    {
        switch (_state)
        {
            case FutureState.Running or FutureState.Finished:
                return false;
            case FutureState.Canceled or FutureState.CanceledAndNotified:
                return true;
        }

        // Outside the lock: withdrawing a call that lives in another process is a round trip.
        if (!TryWithdraw())
        {
            return false;
        }

        object? completions;
        lock (_sync)
        {
            switch (_state)
            {
                case FutureState.Running or FutureState.Finished:
                    return false;
                case FutureState.Canceled or FutureState.CanceledAndNotified:
                    return true;
            }

            _state = FutureState.Canceled;
            completions = DetachCompletionsLocked();
        }

        RunCompletions(completions);
        return true;
    }

    /// <summary>
    /// Called by an executor before it runs the call: marks the future running, or acknowledges a
    /// cancel. Runs no callback.
    /// </summary>
    /// <returns>True if the call should run; false if it was canceled.</returns>
    /// <exception cref="InvalidOperationException">The future is already running or finished.</exception>
    public bool SetRunningOrNotifyCancel()
    {
        lock (_sync)
        {
            switch (_state)
            {
                case FutureState.Pending:
                    _state = FutureState.Running;
                    return true;
                case FutureState.Canceled:
                    _state = FutureState.CanceledAndNotified;
                    return false;
                default:
                    throw new InvalidOperationException($"Future in unexpected state: {this}");
            }
        }
    }

    /// <summary>
    /// The executor's form of <see cref="SetRunningOrNotifyCancel"/>: never throws, so a future the
    /// caller completed by hand is simply not run.
    /// </summary>
    internal bool TrySetRunning()
    {
        lock (_sync)
        {
            switch (_state)
            {
                case FutureState.Pending:
                    _state = FutureState.Running;
                    return true;
                case FutureState.Canceled:
                    _state = FutureState.CanceledAndNotified;
                    return false;
                default:
                    return false;
            }
        }
    }

    /// <summary>Completes the future with an exception.</summary>
    /// <exception cref="InvalidStateException">The future is already finished or canceled.</exception>
    public void SetException(Exception exception)
    {
        if (!TrySetException(exception))
        {
            throw NewInvalidState("set an exception");
        }
    }

    /// <summary>Completes the future with an exception unless it is already done.</summary>
    /// <returns>True if this call completed the future.</returns>
    public bool TrySetException(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        object? completions;
        lock (_sync)
        {
            if (!CanCompleteLocked)
            {
                return false;
            }

            completions = FinishLocked(ExceptionDispatchInfo.Capture(exception));
        }

        RunCompletions(completions);
        return true;
    }

    /// <summary>
    /// Adds a callback that runs once, with this future, when it is done. Callbacks run in the order
    /// added, on the thread that completes the future; on a future that is already done, at once on
    /// the calling thread. A callback that throws is reported through <see cref="CallbackFailed"/>.
    /// </summary>
    public void AddDoneCallback(Action<Future> callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        AddCallback(callback);
    }

    /// <summary>A future that completes when this one is done, with the same outcome.</summary>
    public Task AsTask() => GetTaskCore();

    /// <summary>Lets <c>await future</c> wait for the outcome without blocking a thread.</summary>
    public TaskAwaiter GetAwaiter() => GetTaskCore().GetAwaiter();

    /// <summary>The state and the result or exception type, like Python's repr.</summary>
    public override string ToString()
    {
        var state = _state;
        string name = $"Future<{TypeNames.Display(ResultType)}>";
        if (state != FutureState.Finished)
        {
            return $"<{name} state={state}>";
        }

        return _exception is { } error
            ? $"<{name} state={state} raised {TypeNames.Display(error.SourceException.GetType())}>"
            : $"<{name} state={state} returned {TypeNames.Display(GetBoxedResult()?.GetType())}>";
    }

    /// <summary>
    /// Asked by <see cref="Cancel"/> while the future is pending, before it is marked canceled. An
    /// executor whose calls run elsewhere withdraws the call here, and returns false if the call has
    /// already started (or finished), so that a canceled future's call never runs. The default
    /// approves at once. Runs outside the future's lock; may block briefly.
    /// </summary>
    /// <returns>True if the call will never run; false to make <see cref="Cancel"/> return false.</returns>
    protected virtual bool TryWithdraw() => true;

    private protected abstract Type ResultType { get; }

    private protected bool CanCompleteLocked
    {
        get
        {
            Debug.Assert(Monitor.IsEntered(_sync));
            return _state is FutureState.Pending or FutureState.Running;
        }
    }

    private protected object SyncRoot => _sync;

    private protected abstract object? GetBoxedResult();

    private protected abstract Task GetTaskCore();

    private protected abstract void InvokeTypedCallback(object callback);

    /// <summary>Moves to Finished and detaches the completions to run once the lock is released.</summary>
    private protected object? FinishLocked(ExceptionDispatchInfo? exception)
    {
        Debug.Assert(Monitor.IsEntered(_sync));
        _exception = exception;
        _state = FutureState.Finished;
        return DetachCompletionsLocked();
    }

    private protected void RunCompletions(object? completions)
    {
        if (completions is not List<object> list)
        {
            if (completions is not null)
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

        foreach (object completion in list)
        {
            if (!IsWaiterOrContinuation(completion))
            {
                RunCompletion(completion);
            }
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
        lock (_sync)
        {
            if (IsDoneState(_state))
            {
                return;
            }

            _blockedReaders++;
            try
            {
                while (!IsDoneState(_state))
                {
                    int milliseconds = deadline.RemainingMilliseconds;
                    if (milliseconds == 0)
                    {
                        throw new TimeoutException($"Timed out after {timeout} waiting for {this}.");
                    }

                    Monitor.Wait(_sync, milliseconds);
                }
            }
            finally
            {
                _blockedReaders--;
            }
        }
    }

    /// <summary>Throws the outcome of a done future that did not succeed.</summary>
    private protected void ThrowIfNotSuccessful()
    {
        Debug.Assert(IsDone);
        if (IsCanceled)
        {
            throw new FutureCanceledException();
        }

        _exception?.Throw();
    }

    private protected InvalidStateException NewInvalidState(string operation) =>
        new($"Cannot {operation}: {this} is already done.");

    /// <summary>Registers a waiter unless the future is already done.</summary>
    /// <returns>False if the future was already done (the waiter was not added).</returns>
    internal bool TryAddCompletion(object completion)
    {
        lock (_sync)
        {
            if (IsDoneState(_state))
            {
                return false;
            }

            switch (_completions)
            {
                case null:
                    _completions = completion;
                    break;
                case List<object> list:
                    list.Add(completion);
                    break;
                default:
                    _completions = new List<object>(4) { _completions, completion };
                    break;
            }

            return true;
        }
    }

    /// <summary>Removes a waiter that is no longer interested (a finished Wait or AsCompleted).</summary>
    internal void RemoveCompletion(FutureWaiter waiter)
    {
        lock (_sync)
        {
            if (ReferenceEquals(_completions, waiter))
            {
                _completions = null;
            }
            else if (_completions is List<object> list)
            {
                int index = list.FindIndex(entry => ReferenceEquals(entry, waiter));
                if (index >= 0)
                {
                    list.RemoveAt(index);
                }
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

    private static bool IsDoneState(FutureState state) => state >= FutureState.Canceled;

    private static bool IsWaiterOrContinuation(object completion) => completion is FutureWaiter or Action;

    private static void QueueContinuation(Action continuation) =>
        ThreadPool.UnsafeQueueUserWorkItem(static action => action(), continuation, preferLocal: false);

    private object? DetachCompletionsLocked()
    {
        Debug.Assert(Monitor.IsEntered(_sync));
        if (_blockedReaders > 0)
        {
            Monitor.PulseAll(_sync);
        }

        object? completions = _completions;
        _completions = null;
        return completions;
    }

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
}
