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
/// Lock-free, as <see cref="Task"/> is: every state change is one compare-and-swap, so a future is
/// a single small object and no user code can deadlock it by locking on it. Waiters are woken and
/// callbacks run by the thread that completes the future, after the state is final. The non-generic
/// type is the view that mixes futures of different result types; create a <see cref="Future{T}"/>.
/// </remarks>
public abstract partial class Future
{
    // States beyond the public FutureState: a completer has claimed the future and is writing its
    // outcome. Readers treat it as not done yet; it lasts a few instructions.
    private const int Pending = (int)FutureState.Pending;
    private const int Running = (int)FutureState.Running;
    private const int Canceled = (int)FutureState.Canceled;
    private const int CanceledAndNotified = (int)FutureState.CanceledAndNotified;
    private const int Finished = (int)FutureState.Finished;
    private const int Completing = Finished + 1;

    private volatile int _state;
    private ExceptionDispatchInfo? _exception;

    // Who to tell when the future becomes done; used in place, never copied.
    private CompletionSlot _completions;

    private protected Future()
    {
    }

    /// <summary>
    /// Raised when a done callback throws. The exception is swallowed either way and later callbacks
    /// still run; with no handler attached it is written to standard error, as Python logs it.
    /// </summary>
    public static event EventHandler<FutureCallbackFailedEventArgs>? CallbackFailed;

    /// <summary>The current state.</summary>
    public FutureState State => (FutureState)StableState();

    /// <summary>True once the future was canceled (Python's <c>cancelled()</c>).</summary>
    public bool IsCanceled => _state is Canceled or CanceledAndNotified;

    /// <summary>True while an executor runs the call (Python's <c>running()</c>).</summary>
    public bool IsRunning => _state == Running;

    /// <summary>True once the future finished or was canceled (Python's <c>done()</c>).</summary>
    public bool IsDone => IsDoneState(_state);

    /// <summary>True once the future finished with an exception (not a cancellation).</summary>
    internal bool HasFailed => _state == Finished && _exception is not null;

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
        switch (StableState())
        {
            case Running or Finished:
                return false;
            case Canceled or CanceledAndNotified:
                return true;
        }

        // A call that lives in another process is withdrawn first: that is a round trip.
        return TryWithdraw() && TryCancelWithdrawn(runCallbacks: null);
    }

    /// <summary>
    /// For executor authors: marks a pending future canceled whose call is known never to run (the
    /// executor withdrew it, or the place it was sent confirms it was withdrawn), without asking
    /// <see cref="TryWithdraw"/>. Waiters wake at once; user callbacks run here, or, given
    /// <paramref name="runCallbacks"/>, through it (see <see cref="Future{T}.TrySetResult(T, Action{Action})"/>).
    /// </summary>
    /// <returns>True if the future is canceled (now or before); false if it is running or finished.</returns>
    public bool TryCancelWithdrawn(Action<Action>? runCallbacks = null)
    {
        while (true)
        {
            switch (StableState())
            {
                case Pending:
                    if (TryMove(Pending, Canceled))
                    {
                        CompletionRunner.Run(this, DetachCompletions(), runCallbacks);
                        return true;
                    }

                    break;
                case Canceled or CanceledAndNotified:
                    return true;
                default:
                    return false;
            }
        }
    }

    /// <summary>
    /// For executor authors: ends the future canceled, pending or running, because its call's own
    /// <see cref="CancellationToken"/> was canceled: before the call ran, or the call then threw
    /// <see cref="OperationCanceledException"/>. <c>Result</c> and <c>await</c> throw
    /// <see cref="FutureCanceledException"/>. Callbacks run as for <see cref="TryCancelWithdrawn"/>.
    /// </summary>
    /// <returns>True if this call canceled the future; false if it was already done.</returns>
    public bool TrySetCanceled(Action<Action>? runCallbacks = null)
    {
        while (true)
        {
            int state = StableState();
            if (state is not (Pending or Running))
            {
                return false;
            }

            // A running call has been started by its executor: the cancel needs no acknowledgement.
            if (TryMove(state, state == Running ? CanceledAndNotified : Canceled))
            {
                CompletionRunner.Run(this, DetachCompletions(), runCallbacks);
                return true;
            }
        }
    }

    /// <summary>
    /// Called by an executor before it runs the call: marks the future running, or acknowledges a
    /// cancel. Runs no callback.
    /// </summary>
    /// <returns>True if the call should run; false if it was canceled.</returns>
    /// <exception cref="InvalidOperationException">The future is already running or finished.</exception>
    public bool SetRunningOrNotifyCancel() =>
        TryStart(out bool started) ? started : throw new InvalidOperationException($"Future in unexpected state: {this}");

    /// <summary>
    /// For executor authors: the form of <see cref="SetRunningOrNotifyCancel"/> that never throws,
    /// so a future the caller completed (or canceled) by hand is simply not run.
    /// </summary>
    /// <returns>True if the future is now running and its call should run.</returns>
    public bool TrySetRunning() => TryStart(out bool started) && started;

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
        if (!TryBeginCompletion())
        {
            return false;
        }

        EndCompletion(ExceptionDispatchInfo.Capture(exception));
        return true;
    }

    /// <summary>
    /// For executor authors: <see cref="TrySetException(System.Exception)"/> where the completing
    /// thread must not run user code (a thread that reads a stream, say). Waiters, Wait,
    /// AsCompleted and await are told at once; the user callbacks, all of them in order, are one
    /// action handed to <paramref name="runCallbacks"/>, which runs it elsewhere (a delivery thread).
    /// </summary>
    /// <returns>True if this call completed the future.</returns>
    public bool TrySetException(Exception exception, Action<Action> runCallbacks)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (!TryBeginCompletion())
        {
            return false;
        }

        EndCompletion(ExceptionDispatchInfo.Capture(exception), runCallbacks);
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
        var state = State;
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
    /// Called when a <see cref="CancellationToken"/> the call takes is canceled, while the future is
    /// not done (at once, at <c>Submit</c>, for a token canceled already). The default cancels the
    /// future if the call has not started; a call that runs in this process sees the same token.
    /// An executor whose calls run elsewhere overrides it to cancel the call there if it has not
    /// started, or else signal the call's token where it runs; it must not block.
    /// </summary>
    protected internal virtual void OnCallTokenCanceled() => Cancel();

    /// <summary>
    /// Asked by <see cref="Cancel"/> while the future is pending, before it is marked canceled. An
    /// executor whose calls run elsewhere withdraws the call here, and returns false if the call has
    /// already started (or finished), so that a canceled future's call never runs. The default
    /// approves at once. May block briefly.
    /// </summary>
    /// <returns>True if the call will never run; false to make <see cref="Cancel"/> return false.</returns>
    protected virtual bool TryWithdraw() => true;

    private protected abstract Type ResultType { get; }

    private protected abstract object? GetBoxedResult();

    private protected abstract Task GetTaskCore();


    /// <summary>
    /// Claims the future for completion; only one claimant ever succeeds. The winner writes the
    /// outcome, then calls <see cref="EndCompletion"/>.
    /// </summary>
    private protected bool TryBeginCompletion()
    {
        while (true)
        {
            int state = _state;
            if (state is not (Pending or Running))
            {
                return false;
            }

            if (TryMove(state, Completing))
            {
                return true;
            }
        }
    }

    /// <summary>
    /// Publishes the outcome written after <see cref="TryBeginCompletion"/>, then wakes waiters and
    /// runs callbacks: here, or, given <paramref name="runCallbacks"/>, through it.
    /// </summary>
    private protected void EndCompletion(ExceptionDispatchInfo? exception, Action<Action>? runCallbacks = null)
    {
        _exception = exception;

        // A volatile write: whoever sees Finished also sees the result and exception written before it.
        _state = Finished;
        CompletionRunner.Run(this, DetachCompletions(), runCallbacks);
    }

    /// <summary>Throws the outcome of a done future that did not succeed.</summary>
    private protected void ThrowIfNotSuccessful()
    {
        if (IsCanceled)
        {
            throw new FutureCanceledException();
        }

        _exception?.Throw();
    }

    private protected InvalidStateException NewInvalidState(string operation) =>
        new($"Cannot {operation}: {this} is already done.");

    /// <summary>How many callbacks, continuations and waiters are registered: lets tests prove a wait removed its waiter.</summary>
    internal int RegisteredCompletionCount => _completions.Count;

    /// <summary>The handlers of <see cref="CallbackFailed"/>, for <see cref="CompletionRunner"/>.</summary>
    internal static EventHandler<FutureCallbackFailedEventArgs>? CallbackFailedHandlers => CallbackFailed;

    /// <summary>Registers a waiter, continuation or callback unless the future is already done.</summary>
    /// <returns>False if the future was already done (nothing was added).</returns>
    internal bool TryAddCompletion(object completion) => _completions.TryAdd(completion);

    /// <summary>Removes a waiter that is no longer interested (a finished Wait, a timed-out reader).</summary>
    internal void RemoveCompletion(FutureWaiter waiter) => _completions.Remove(waiter);

    /// <summary>Schedules an await continuation for when the future is done; never runs it inline.</summary>
    internal void AddContinuation(Action continuation)
    {
        if (!TryAddCompletion(continuation))
        {
            CompletionRunner.QueueContinuation(continuation);
        }
    }

    /// <summary>Runs a typed callback of <see cref="Future{T}"/> with the future.</summary>
    internal abstract void InvokeTypedCallback(object callback);

    private protected void AddCallback(object callback)
    {
        if (!TryAddCompletion(callback))
        {
            CompletionRunner.InvokeCallback(this, callback);
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

    /// <summary>Takes the registered completions and closes the slot to further additions.</summary>
    private object? DetachCompletions()
    {
        object? completions = _completions.Detach();
        AssertDoneInvariants();
        return completions;
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
        System.Diagnostics.Debug.Assert(_completions.IsClosed, "a done future still takes completions");
        System.Diagnostics.Debug.Assert(state == Finished || _exception is null, "a canceled future holds an exception");
    }

    private static bool IsDoneState(int state) => state is Canceled or CanceledAndNotified or Finished;

    private bool TryMove(int from, int to) => Interlocked.CompareExchange(ref _state, to, from) == from;

    /// <summary>The state, once any completion in progress has finished writing.</summary>
    private int StableState()
    {
        int state = _state;
        if (state != Completing)
        {
            return state;
        }

        var spinner = default(SpinWait);
        while ((state = _state) == Completing)
        {
            spinner.SpinOnce();
        }

        return state;
    }

    /// <returns>False when the future is no longer pending or canceled; otherwise whether the call should run.</returns>
    private bool TryStart(out bool started)
    {
        while (true)
        {
            switch (StableState())
            {
                case Pending when TryMove(Pending, Running):
                    started = true;
                    return true;
                case Canceled when TryMove(Canceled, CanceledAndNotified):
                    started = false;
                    return true;
                case Pending or Canceled:
                    continue;
                default:
                    started = false;
                    return false;
            }
        }
    }
}
