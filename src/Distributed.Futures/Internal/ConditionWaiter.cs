namespace Distributed.Futures.Internal;

/// <summary>
/// Signals when a <see cref="ReturnWhen"/> condition holds over a set of futures (CPython's
/// <c>_FirstCompletedWaiter</c>, <c>_AllCompletedWaiter</c>): installed on the futures that were
/// not done when the wait began.
/// </summary>
internal sealed class ConditionWaiter(ReturnWhen returnWhen, int notDoneCount) : FutureWaiter
{
    private readonly TaskCompletionSource _met = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _notDone = notDoneCount;

    public Task Met => _met.Task;

    public override void OnFutureDone(Future future)
    {
        bool met = returnWhen switch
        {
            ReturnWhen.FirstCompleted => true,
            ReturnWhen.FirstException when future.HasFailed => true,
            _ => Interlocked.Decrement(ref _notDone) == 0,
        };

        if (met)
        {
            _met.TrySetResult();
        }
    }

    /// <summary>Whether the condition already holds for the futures as they are now.</summary>
    public static bool Holds<TFuture>(IReadOnlyCollection<TFuture> futures, ReturnWhen returnWhen)
        where TFuture : Future
    {
        return returnWhen switch
        {
            ReturnWhen.FirstCompleted => futures.Any(f => f.IsDone),
            ReturnWhen.FirstException => futures.Any(f => f.HasFailed) || futures.All(f => f.IsDone),
            _ => futures.All(f => f.IsDone),
        };
    }
}
