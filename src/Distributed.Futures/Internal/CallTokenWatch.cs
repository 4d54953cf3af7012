namespace Distributed.Futures.Internal;

/// <summary>
/// Keeps a call's <see cref="CancellationToken"/> arguments live: when one is canceled (or is
/// already), the future hears it (<see cref="Future.OnCallTokenCanceled"/>), and the registration
/// goes when the future is done, so a long-lived token does not keep finished futures alive.
/// Whoever runs the call also looks at the token as it starts it: a call canceled before it starts
/// never runs, however the cancel and the start race.
/// </summary>
internal static class CallTokenWatch
{
    public static void Watch<TResult>(ExecutorCall<TResult> call, Future future)
    {
        foreach (var token in call.CancellationTokens.Where(token => token.CanBeCanceled).Distinct())
        {
            var registration = token.UnsafeRegister(static state => Fire((Future)state!), future);
            future.AddDoneCallback(_ => registration.Dispose());
        }
    }

    private static void Fire(Future future)
    {
        if (!future.IsDone)
        {
            future.OnCallTokenCanceled();
        }
    }

    /// <summary>
    /// The same for the items of a Map chunk: a canceled token reaches
    /// <see cref="MapChunk{TResult}.OnItemTokenCanceled"/> for each item that takes it.
    /// </summary>
    /// <returns>The registrations, to dispose once the Map no longer waits for the chunk; null if no item takes a token.</returns>
    public static List<CancellationTokenRegistration>? WatchChunk<TResult>(IReadOnlyList<ExecutorCall<TResult>> calls, MapChunk<TResult> chunk)
    {
        List<CancellationTokenRegistration>? registrations = null;
        for (int index = 0; index < calls.Count; index++)
        {
            if (!calls[index].TakesCancellationToken)
            {
                continue;
            }

            foreach (var token in calls[index].CancellationTokens.Where(token => token.CanBeCanceled).Distinct())
            {
                var item = new ChunkItem<TResult>(chunk, index);
                (registrations ??= []).Add(token.UnsafeRegister(static state => ((ChunkItem<TResult>)state!).Fire(), item));
            }
        }

        return registrations;
    }

    private sealed class ChunkItem<TResult>(MapChunk<TResult> chunk, int index)
    {
        public void Fire()
        {
            if (!chunk.IsDone(index))
            {
                chunk.OnItemTokenCanceled(index);
            }
        }
    }
}
