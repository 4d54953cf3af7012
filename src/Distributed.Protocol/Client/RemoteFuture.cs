using Distributed.Futures;

namespace Distributed.Protocol.Client;

/// <summary>
/// A future whose call runs in a worker process. Canceling it asks the coordinator to withdraw the
/// call, which succeeds only if no worker has started it.
/// </summary>
internal sealed class RemoteFuture<TResult>(UnitFutures<TResult> unit, uint index) : Future<TResult>
{
    private int _withdrawn;

    public uint Index { get; } = index;

    /// <summary>Marks the future running, unless it is done or canceled already.</summary>
    public void MarkRunning() => TrySetRunning();

    /// <summary>True the first time only: two racing Cancel calls, or a failure and a cancel, close the item once.</summary>
    public bool MarkWithdrawn() => Interlocked.Exchange(ref _withdrawn, 1) == 0;

    protected override bool TryWithdraw() => unit.TryWithdraw(this);
}
