using System.Runtime.CompilerServices;
using Distributed.Futures.Internal;

namespace Distributed.Futures;

/// <summary>
/// A future whose call returns a <typeparamref name="T"/>. Executors create these; the public
/// constructor exists for tests and for authors of executors, who complete it with
/// <see cref="SetResult"/> or <see cref="Future.SetException"/>.
/// </summary>
/// <typeparam name="T">The result type.</typeparam>
public class Future<T> : Future
{
    private T _result = default!;
    private Task<T>? _task;

    /// <summary>Creates a pending future.</summary>
    public Future()
    {
    }

    /// <summary>Waits for the outcome and returns the result.</summary>
    /// <param name="timeout">How long to wait: <c>null</c> or <see cref="Timeout.InfiniteTimeSpan"/> waits forever; zero or negative does not wait.</param>
    /// <returns>The call's result.</returns>
    /// <exception cref="FutureCanceledException">The future was canceled.</exception>
    /// <exception cref="TimeoutException">The future was not done in time.</exception>
    /// <remarks>If the call failed, its own exception object is rethrown with its stack trace preserved.</remarks>
    public new T Result(TimeSpan? timeout = null)
    {
        WaitUntilDone(timeout);
        ThrowIfNotSuccessful();
        return _result;
    }

    /// <summary>Completes the future with a result.</summary>
    /// <exception cref="InvalidStateException">The future is already finished or canceled.</exception>
    public void SetResult(T result)
    {
        if (!TrySetResult(result))
        {
            throw NewInvalidState("set a result");
        }
    }

    /// <summary>Completes the future with a result unless it is already done.</summary>
    /// <returns>True if this call completed the future.</returns>
    public bool TrySetResult(T result)
    {
        if (!TryBeginCompletion())
        {
            return false;
        }

        _result = result;
        EndCompletion(exception: null);
        return true;
    }

    /// <summary>
    /// For executor authors: <see cref="TrySetResult(T)"/> where the completing thread must not run
    /// user code. Waiters are told at once; the user callbacks, all of them in order, are one action
    /// handed to <paramref name="runCallbacks"/>, which runs it elsewhere (a delivery thread).
    /// </summary>
    /// <returns>True if this call completed the future.</returns>
    public bool TrySetResult(T result, Action<Action> runCallbacks)
    {
        if (!TryBeginCompletion())
        {
            return false;
        }

        _result = result;
        EndCompletion(exception: null, runCallbacks);
        return true;
    }

    /// <summary>
    /// Adds a callback that runs once, with this future, when it is done; see
    /// <see cref="Future.AddDoneCallback(Action{Future})"/>.
    /// </summary>
    public void AddDoneCallback(Action<Future<T>> callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        AddCallback(callback);
    }

    /// <summary>
    /// A task that completes when this future is done: with the result, with the call's own
    /// exception, or canceled with a <see cref="FutureCanceledException"/>. Its continuations never
    /// run on the thread that completes the future.
    /// </summary>
    public new Task<T> AsTask() => Volatile.Read(ref _task) ?? CreateTask();

    /// <summary>Lets <c>await future</c> wait for the result without blocking a thread.</summary>
    public new TaskAwaiter<T> GetAwaiter() => AsTask().GetAwaiter();

    private protected override Type ResultType => typeof(T);

    private protected override object? GetBoxedResult() => _result;

    private protected override Task GetTaskCore() => AsTask();

    internal override void InvokeTypedCallback(object callback) => ((Action<Future<T>>)callback)(this);

    private Task<T> CreateTask()
    {
        var task = WhenDoneAsync();
        return Interlocked.CompareExchange(ref _task, task, null) ?? task;
    }

    // An async method, not a TaskCompletionSource: when it throws FutureCanceledException the task
    // ends Canceled yet still rethrows that very exception, and a failed call's own exception
    // object is what the task holds.
    private async Task<T> WhenDoneAsync()
    {
        await new FutureDoneAwaitable(this);
        ThrowIfNotSuccessful();
        return _result;
    }
}
