using System.Diagnostics.CodeAnalysis;

namespace Distributed.Futures.Internal;

/// <summary>
/// One AsCompleted iteration's bookkeeping: the futures that were done when it started, in input
/// order, and the ones still pending, each holding the waiter that reports it. It keeps no
/// reference to a future once that future was handed out.
/// </summary>
internal sealed class AsCompletedState<TFuture>
    where TFuture : Future
{
    private readonly Queue<TFuture> _doneAtStart = new();
    private readonly HashSet<TFuture> _pending = new(ReferenceEqualityComparer.Instance);
    private readonly AsCompletedWaiter _waiter = new();

    private AsCompletedState()
    {
    }

    public int Total { get; private set; }

    public int PendingCount => _pending.Count;

    /// <summary>Snapshots the input: duplicates collapse, done futures queue up, the rest get the waiter.</summary>
    public static AsCompletedState<TFuture> Start(IEnumerable<TFuture> futures)
    {
        var state = new AsCompletedState<TFuture>();
        var seen = new HashSet<TFuture>(ReferenceEqualityComparer.Instance);
        try
        {
            foreach (var future in futures)
            {
                FutureSets.ThrowIfNull(future, nameof(futures));
                if (!seen.Add(future))
                {
                    continue;
                }

                if (future.TryAddCompletion(state._waiter))
                {
                    state._pending.Add(future);
                }
                else
                {
                    state._doneAtStart.Enqueue(future);
                }
            }
        }
        catch
        {
            // The input failed part way (or held a null): leave no waiter behind on what was read.
            state.Stop();
            throw;
        }

        state.Total = seen.Count;
        return state;
    }

    public bool TryTakeDoneAtStart([NotNullWhen(true)] out TFuture? future) => _doneAtStart.TryDequeue(out future);

    /// <summary>Blocks for the next future to complete; false when the deadline passes first.</summary>
    public bool TryTakeNext(Deadline deadline, [NotNullWhen(true)] out TFuture? future)
    {
        if (_waiter.TryTake(deadline, out var done))
        {
            future = (TFuture)done;
            _pending.Remove(future);
            return true;
        }

        future = null;
        return false;
    }

    public async ValueTask<TFuture> TakeNextAsync(CancellationToken cancellationToken)
    {
        var future = (TFuture)await _waiter.TakeAsync(cancellationToken).ConfigureAwait(false);
        _pending.Remove(future);
        return future;
    }

    public TimeoutException NewTimeout() => new($"{PendingCount} (of {Total}) futures unfinished");

    /// <summary>Detaches the waiter from every future still pending, so none keeps this iteration alive.</summary>
    public void Stop()
    {
        foreach (var future in _pending)
        {
            future.RemoveCompletion(_waiter);
        }

        _pending.Clear();
        _doneAtStart.Clear();
        _waiter.Clear();
    }
}
