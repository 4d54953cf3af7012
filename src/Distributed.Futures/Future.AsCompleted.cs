using System.Runtime.CompilerServices;
using Distributed.Futures.Internal;

namespace Distributed.Futures;

public abstract partial class Future
{
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
        return AsCompletedCoreAsync(futures, cancellationToken);
    }

    private static async IAsyncEnumerable<TFuture> AsCompletedCoreAsync<TFuture>(
        IEnumerable<TFuture> futures,
        [EnumeratorCancellation] CancellationToken cancellationToken)
        where TFuture : Future
    {
        cancellationToken.ThrowIfCancellationRequested();
        var state = AsCompletedState<TFuture>.Start(futures);
        try
        {
            while (state.TryTakeDoneAtStart(out var done))
            {
                yield return done;
            }

            while (state.PendingCount > 0)
            {
                yield return await state.TakeNextAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            state.Stop();
        }
    }
}
