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

    public int Count => 1;

    public void Settle(UnitOutcome outcome)
    {
        var items = new OutcomeItems<TResult>(outcome, 1, _wireResultType);
        if (!items.MoveNext(out _, out var result, out var error) || !TryClaim())
        {
            return;
        }

        if (error is null)
        {
            TrySetResult(result, _link.RunCallbacks);
        }
        else if (outcome.Errors is [{ Error.Kind: ErrorKind.Canceled }])
        {
            // Its CancellationToken was canceled: before it ran, or it then threw OperationCanceledException.
            TrySetCanceled(_link.RunCallbacks);
        }
        else
        {
            TrySetException(error, _link.RunCallbacks);
        }

        Forget();
    }

    public void MarkRunning(uint startedIndex) => TrySetRunning();

    public void FailUnsent(int index, Exception error)
    {
        TrySetException(error);
        Close();
    }

    public void FailAll(Exception error)
    {
        TrySetException(error, _link.RunCallbacks);
        Close();
    }

    public void ConfirmWithdrawn(uint? index)
    {
        if (IsDone || index is > 0)
        {
            // Done already, or an item this unit of one does not have.
            return;
        }

        // Never left waiting: the coordinator will send nothing more for this call.
        if (!TryCancelWithdrawn(_link.RunCallbacks))
        {
            TrySetException(new BrokenExecutorException("The coordinator withdrew this task after it had been reported running; it did not finish."), _link.RunCallbacks);
        }

        Close();
    }

    /// <summary>Its token was canceled: the coordinator cancels it if no worker started it, else signals the token where it runs.</summary>
    protected override void OnCallTokenCanceled() => _link.CancelByToken(UnitId, 0);

    protected override bool TryWithdraw()
    {
        switch (_link.Withdraw(UnitId, 0))
        {
            case true:
                Close();
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
    /// The first of an outcome, a failure or a cancel to claim the call closes it, once. The unit
    /// is forgotten only after the future is complete: forgetting it can end the client's teardown,
    /// which stops the delivery thread the future's callbacks are handed to.
    /// </summary>
    private bool TryClaim() => Interlocked.Exchange(ref _closed, 1) == 0;

    private void Forget() => _link.Forget(UnitId);

    /// <summary>Closes the call, whose future is already complete (or canceled), if nothing closed it before.</summary>
    private void Close()
    {
        if (TryClaim())
        {
            Forget();
        }
    }
}
