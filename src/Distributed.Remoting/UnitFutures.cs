using Distributed.Futures;
using Distributed.Protocol.V1;

namespace Distributed.Remoting;

/// <summary>The futures of a submitted unit, one per item.</summary>
internal sealed class UnitFutures<TResult> : IUnitFutures
{
    private readonly IUnitLink _link;
    private readonly ulong _unitId;
    private readonly Type _wireResultType;
    private readonly RemoteFuture<TResult>[] _futures;
    private int _open;

    /// <param name="link">The client that sent the unit, for withdrawals and its registry.</param>
    /// <param name="unitId">The unit, as the client numbers it.</param>
    /// <param name="count">How many items.</param>
    /// <param name="wireResultType">The called method's return type, which the worker encoded the results by
    /// (<c>typeof(void)</c> for an action); each result is read as that, then given to the future as TResult.</param>
    public UnitFutures(IUnitLink link, ulong unitId, int count, Type wireResultType)
    {
        _link = link;
        _unitId = unitId;
        _wireResultType = wireResultType;
        _open = count;
        _futures = new RemoteFuture<TResult>[count];
        for (uint i = 0; i < count; i++)
        {
            _futures[i] = new RemoteFuture<TResult>(this, i);
        }
    }

    public ulong UnitId => _unitId;

    public IReadOnlyList<RemoteFuture<TResult>> Futures => _futures;

    /// <summary>Withdraws a future's item; see <see cref="RemoteFuture{TResult}.TryWithdraw"/>.</summary>
    public bool TryWithdraw(RemoteFuture<TResult> future)
    {
        switch (_link.Withdraw(_unitId, future.Index))
        {
            case true:
                CloseItem(future);
                return true;
            case false:
                // It started (or finished): say so, so that Cancel's false matches the future's state.
                future.MarkRunning();
                return false;
            default:
                // No answer: nothing is known, so nothing changes.
                return false;
        }
    }

    public void Settle(UnitOutcome outcome)
    {
        int settled = 0;
        var items = new OutcomeItems<TResult>(outcome, _futures.Length, _wireResultType);
        while (items.MoveNext(out int index, out var result, out var error))
        {
            var future = _futures[index];
            if (!future.TryClose())
            {
                continue;
            }

            settled++;
            if (error is null)
            {
                future.TrySetResult(result, _link.RunCallbacks);
            }
            else
            {
                future.TrySetException(error, _link.RunCallbacks);
            }
        }

        Close(settled);
    }

    public void MarkRunning(uint startedIndex)
    {
        for (uint index = 0; index <= startedIndex && index < _futures.Length; index++)
        {
            _futures[index].MarkRunning();
        }
    }

    public void FailUnsent(int index, Exception error)
    {
        _futures[index].TrySetException(error);
        CloseItem(_futures[index]);
    }

    public void FailAll(Exception error)
    {
        int closed = 0;
        foreach (var future in _futures)
        {
            future.TrySetException(error, _link.RunCallbacks);
            closed += future.TryClose() ? 1 : 0;
        }

        Close(closed);
    }

    public void ConfirmWithdrawn(uint? index)
    {
        int closed = 0;
        uint end = Math.Min(index is { } one ? one + 1 : uint.MaxValue, (uint)_futures.Length);
        for (uint i = index ?? 0; i < end; i++)
        {
            var future = _futures[i];
            if (future.IsDone)
            {
                continue;
            }

            // Never left waiting: the coordinator will send nothing more for this item.
            if (!future.TryCancelWithdrawn(_link.RunCallbacks))
            {
                future.TrySetException(new BrokenExecutorException("The coordinator withdrew this task after it had been reported running; it did not finish."), _link.RunCallbacks);
            }

            closed += future.TryClose() ? 1 : 0;
        }

        Close(closed);
    }

    private void CloseItem(RemoteFuture<TResult> future)
    {
        if (future.TryClose())
        {
            Close(1);
        }
    }

    private void Close(int items)
    {
        if (items > 0 && Interlocked.Add(ref _open, -items) == 0)
        {
            _link.Forget(_unitId);
        }
    }
}
