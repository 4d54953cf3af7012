namespace Distributed.Futures.Internal;

/// <summary>
/// Something a future notifies when it becomes done, before it runs user callbacks: the
/// machinery behind <see cref="Future.Wait{TFuture}"/> and <see cref="Future.AsCompleted{TFuture}"/>
/// (CPython's <c>_Waiter</c>). Implementations are called outside the future's lock and must not throw.
/// </summary>
internal abstract class FutureWaiter
{
    public abstract void OnFutureDone(Future future);
}
