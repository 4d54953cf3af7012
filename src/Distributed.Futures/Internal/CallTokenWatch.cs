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
}
