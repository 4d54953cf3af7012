using System.Runtime.CompilerServices;

namespace Distributed.Futures.Internal;

/// <summary>The asynchronous AsCompleted sequence: the futures done at its start, then each as it completes, awaited without blocking a thread.</summary>
internal static class AsCompletedAsyncSequence
{
    public static async IAsyncEnumerable<TFuture> Run<TFuture>(
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
