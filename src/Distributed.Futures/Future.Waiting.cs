using Distributed.Futures.Internal;

namespace Distributed.Futures;

/// <summary>The module-level functions of Python's concurrent.futures: wait and as_completed, blocking and asynchronous.</summary>
public abstract partial class Future
{
    /// <summary>
    /// Waits until the futures meet <paramref name="returnWhen"/> or the timeout passes (Python's
    /// <c>concurrent.futures.wait</c>). Futures of different executors can be mixed; duplicates
    /// count once; a canceled future counts as done at once.
    /// </summary>
    /// <param name="futures">The futures to wait on.</param>
    /// <param name="timeout">How long to wait: <c>null</c> or <see cref="Timeout.InfiniteTimeSpan"/> waits forever; zero or negative does not wait.</param>
    /// <param name="returnWhen">When to return.</param>
    /// <returns>The futures that were done and those that were not. On timeout, the partial sets; never throws for a timeout.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="futures"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="futures"/> contains null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="returnWhen"/> is not a defined value.</exception>
    public static DoneAndNotDone<TFuture> Wait<TFuture>(
        IEnumerable<TFuture> futures,
        TimeSpan? timeout = null,
        ReturnWhen returnWhen = ReturnWhen.AllCompleted)
        where TFuture : Future
    {
        var set = FutureSets.Distinct(futures);
        FutureWaiting.ThrowIfUndefined(returnWhen);
        return FutureWaiting.Wait(set, Deadline.After(timeout), returnWhen);
    }

    /// <summary>
    /// The asynchronous form of <see cref="Wait{TFuture}"/>: completes when the condition holds or
    /// the timeout passes, without blocking a thread.
    /// </summary>
    /// <param name="futures">The futures to wait on.</param>
    /// <param name="timeout">How long to wait, as for <see cref="Wait{TFuture}"/>.</param>
    /// <param name="returnWhen">When to return.</param>
    /// <param name="cancellationToken">Ends the wait with <see cref="OperationCanceledException"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="futures"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="futures"/> contains null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="returnWhen"/> is not a defined value.</exception>
    public static Task<DoneAndNotDone<TFuture>> WaitAsync<TFuture>(
        IEnumerable<TFuture> futures,
        TimeSpan? timeout = null,
        ReturnWhen returnWhen = ReturnWhen.AllCompleted,
        CancellationToken cancellationToken = default)
        where TFuture : Future
    {
        // Arguments are checked here, at the call, not when the task is awaited.
        var set = FutureSets.Distinct(futures);
        FutureWaiting.ThrowIfUndefined(returnWhen);
        return FutureWaiting.WaitAsync(set, Deadline.After(timeout), returnWhen, cancellationToken);
    }

    /// <summary>
    /// Yields the futures as they complete (Python's <c>concurrent.futures.as_completed</c>): those
    /// already done first, then each as it finishes or is canceled. Duplicates are yielded once.
    /// </summary>
    /// <param name="futures">The futures to watch; read when the iteration starts.</param>
    /// <param name="timeout">The time allowed for the whole iteration, counted from the first
    /// <c>MoveNext</c>: <c>null</c> or <see cref="Timeout.InfiniteTimeSpan"/> waits forever; zero or negative does not wait.</param>
    /// <returns>A sequence that blocks while it waits. It keeps no reference to a future once the
    /// enumerator has moved past it.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="futures"/> is null.</exception>
    /// <exception cref="TimeoutException">Thrown by <c>MoveNext</c> when the timeout passes, with the message "N (of M) futures unfinished".</exception>
    public static IEnumerable<TFuture> AsCompleted<TFuture>(IEnumerable<TFuture> futures, TimeSpan? timeout = null)
        where TFuture : Future
    {
        ArgumentNullException.ThrowIfNull(futures);
        return new AsCompletedEnumerable<TFuture>(futures, timeout);
    }

    /// <summary>
    /// The asynchronous form of <see cref="AsCompleted{TFuture}"/>: yields the futures as they
    /// complete without blocking a thread.
    /// </summary>
    /// <param name="futures">The futures to watch; read when the iteration starts.</param>
    /// <param name="cancellationToken">Ends the iteration with <see cref="OperationCanceledException"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="futures"/> is null.</exception>
    public static IAsyncEnumerable<TFuture> AsCompletedAsync<TFuture>(
        IEnumerable<TFuture> futures,
        CancellationToken cancellationToken = default)
        where TFuture : Future
    {
        ArgumentNullException.ThrowIfNull(futures);
        return AsCompletedAsyncSequence.Run(futures, cancellationToken);
    }
}
