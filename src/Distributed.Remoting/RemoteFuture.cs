using Distributed.Futures;
using Distributed.Protocol.V1;

namespace Distributed.Remoting;

/// <summary>
/// The future of one call that runs in a worker process, and the client half of its unit of one
/// item: a queued call costs this one object (and its registry entry). Canceling it asks the
/// coordinator to withdraw the call, which succeeds only if no worker has started it.
/// </summary>
internal sealed class RemoteFuture<TResult> : Future<TResult>, IUnitFutures
{
    private readonly IUnitLink _link;
    private readonly Type _wireResultType;
    private int _closed;

    /// <param name="link">The client that sent the unit, for withdrawals and its registry.</param>
    /// <param name="unitId">The unit, as the client numbers it.</param>
    /// <param name="wireResultType">The called method's return type, which the worker encoded the result by
    /// (<c>typeof(void)</c> for an action); the result is read as that, then given to the future as TResult.</param>
    public RemoteFuture(IUnitLink link, ulong unitId, Type wireResultType)
    {
        _link = link;
        UnitId = unitId;
        _wireResultType = wireResultType;
    }

    public ulong UnitId { get; }

    public void Settle(UnitOutcome outcome)
    {
        var items = new OutcomeItems<TResult>(outcome, 1, _wireResultType);
        if (!items.MoveNext(out _, out var result, out var error) || !TryClose())
        {
            return;
        }

        if (error is null)
        {
            TrySetResult(result, _link.RunCallbacks);
        }
        else
        {
            TrySetException(error, _link.RunCallbacks);
        }
    }

    public void MarkRunning(uint startedIndex) => TrySetRunning();

    public void FailUnsent(int index, Exception error)
    {
        TrySetException(error);
        TryClose();
    }

    public void FailAll(Exception error)
    {
        TrySetException(error, _link.RunCallbacks);
        TryClose();
    }

    public void ConfirmWithdrawn(uint? index)
    {
        if (IsDone)
        {
            return;
        }

        // Never left waiting: the coordinator will send nothing more for this call.
        if (!TryCancelWithdrawn(_link.RunCallbacks))
        {
            TrySetException(new BrokenExecutorException("The coordinator withdrew this task after it had been reported running; it did not finish."), _link.RunCallbacks);
        }

        TryClose();
    }

    protected override bool TryWithdraw()
    {
        switch (_link.Withdraw(UnitId, 0))
        {
            case true:
                TryClose();
                return true;
            case false:
                // It started (or finished): say so, so that Cancel's false matches the future's state.
                TrySetRunning();
                return false;
            default:
                // No answer: nothing is known, so nothing changes.
                return false;
        }
    }

    /// <summary>
    /// The first of an outcome, a failure or a cancel to close the call closes it, once; then the
    /// unit forgets itself from its client's registry.
    /// </summary>
    private bool TryClose()
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return false;
        }

        _link.Forget(UnitId);
        return true;
    }
}
