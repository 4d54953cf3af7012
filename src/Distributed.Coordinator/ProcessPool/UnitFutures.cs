using Distributed.Protocol;
using Distributed.Protocol.V1;

namespace Distributed.Coordinator.ProcessPool;

/// <summary>The futures of one unit, and how to turn its outcomes into their results.</summary>
internal interface IUnitFutures
{
    /// <summary>Completes the items the outcome settles; true when no item of the unit is left open.</summary>
    bool Settle(UnitOutcome outcome);

    /// <summary>An item was withdrawn (canceled before it started); true when no item is left open.</summary>
    bool Withdrawn();

    /// <summary>Marks the items up to <paramref name="startedIndex"/> running.</summary>
    void MarkRunning(uint startedIndex);

    /// <summary>Fails every future not yet done.</summary>
    void FailAll(Exception error);

    /// <summary>Cancels every future whose item has not started.</summary>
    void CancelNotStarted();
}

/// <inheritdoc/>
/// <param name="futures">One per item.</param>
/// <param name="wireResultType">The called method's return type, which the worker encoded the results by
/// (<c>typeof(void)</c> for an action); each result is read as that, then given to the future as TResult.</param>
internal sealed class UnitFutures<TResult>(ProcessFuture<TResult>[] futures, Type wireResultType) : IUnitFutures
{
    // Items neither settled by an outcome nor withdrawn: an outcome never settles a withdrawn item
    // (the worker skips it), so each item leaves this count exactly once.
    private int _open = futures.Length;

    public bool Withdrawn() => Interlocked.Decrement(ref _open) == 0;

    public bool Settle(UnitOutcome outcome)
    {
        var skipped = outcome.Skipped.Count == 0 ? null : outcome.Skipped.ToHashSet();
        var errors = outcome.Errors.Count == 0 ? null : outcome.Errors.ToDictionary(e => e.Index, e => e.Error);
        ColumnReader? results = null;
        int settled = 0;
        for (uint index = 0; index < futures.Length; index++)
        {
            if (skipped?.Contains(index) == true)
            {
                continue;
            }

            settled++;
            var future = futures[index];
            if (errors?.TryGetValue(index, out var error) == true)
            {
                future.TrySetException(ErrorCodec.Decode(error));
                continue;
            }

            try
            {
                results ??= new ColumnReader(outcome.Results ?? new Column(), wireResultType);
                future.TrySetResult(Cast(results.Get((int)index)));
            }
            catch (ValueCodecException codecError)
            {
                // A result this process cannot read fails its own future, nothing else.
                future.TrySetException(codecError);
            }
        }

        return Interlocked.Add(ref _open, -settled) == 0;
    }

    public void MarkRunning(uint startedIndex)
    {
        for (uint index = 0; index <= startedIndex && index < futures.Length; index++)
        {
            futures[index].MarkRunning();
        }
    }

    public void FailAll(Exception error)
    {
        foreach (var future in futures)
        {
            future.TrySetException(error);
        }
    }

    public void CancelNotStarted()
    {
        foreach (var future in futures)
        {
            future.Cancel();
        }
    }

    private static TResult Cast(object? value) => value is null ? default! : (TResult)value;
}
