using Distributed.Futures;

namespace Distributed.Remoting;

/// <summary>
/// A future whose call runs in a worker process. Canceling it asks the coordinator to withdraw the
/// call, which succeeds only if no worker has started it.
/// </summary>
internal sealed class RemoteFuture<TResult>(UnitFutures<TResult> unit, uint index) : Future<TResult>
{
    private int _closed;

    public uint Index { get; } = index;

    /// <summary>Marks the future running, unless it is done or canceled already.</summary>
    public void MarkRunning() => TrySetRunning();

    /// <summary>True the first time only: whichever of an outcome, a failure or a cancel closes the item first, closes it once.</summary>
    public bool TryClose() => Interlocked.Exchange(ref _closed, 1) == 0;

    protected override bool TryWithdraw() => unit.TryWithdraw(this);
}
