namespace Distributed.Futures;

/// <summary>
/// The items of one <c>Map</c> chunk that an executor sends as a unit, and what became of each:
/// every item still gets its own result or exception, without a future object per item. Executors
/// that ship work to other processes return one from <see cref="Executor"/>'s <c>SubmitMapChunk</c>.
/// </summary>
/// <typeparam name="TResult">The mapped function's result type.</typeparam>
public abstract class MapChunk<TResult>
{
    /// <summary>How many items the chunk holds.</summary>
    public abstract int Count { get; }

    /// <summary>True once item <paramref name="index"/> has an outcome or was canceled.</summary>
    public abstract bool IsDone(int index);

    /// <summary>
    /// Waits for item <paramref name="index"/>'s outcome and returns its result, or throws its
    /// exception (the task's own, stack preserved), <see cref="FutureCanceledException"/> if it was
    /// canceled, or <see cref="TimeoutException"/> if it was not done in time.
    /// </summary>
    /// <param name="index">The item.</param>
    /// <param name="timeout">How long to wait: <c>null</c> or <see cref="Timeout.InfiniteTimeSpan"/> waits forever; zero or negative does not wait.</param>
    public abstract TResult Result(int index, TimeSpan? timeout);

    /// <summary>Cancels every item from <paramref name="index"/> on that has not started; those never run.</summary>
    public abstract void CancelFrom(int index);

    /// <summary>
    /// Starts <see cref="CancelFrom"/> and completes once it is done, so that a Map ending early
    /// can cancel all its chunks at once: an executor whose items live in another process sends the
    /// requests together, in one message, and waits for one answer. The default cancels here.
    /// </summary>
    /// <param name="index">The first item to cancel.</param>
    public virtual Task CancelFromAsync(int index)
    {
        CancelFrom(index);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Called when a <see cref="CancellationToken"/> that item <paramref name="index"/>'s call
    /// takes is canceled, while the item is not done and the Map still waits for it. The default
    /// does nothing: items that run in this process see the same token. An executor whose items
    /// run elsewhere overrides it to cancel the item there if it has not started (its outcome is
    /// then <see cref="FutureCanceledException"/>), or else signal the item's token where it runs;
    /// it must not block.
    /// </summary>
    /// <param name="index">The item whose token was canceled.</param>
    protected internal virtual void OnItemTokenCanceled(int index)
    {
    }
}
