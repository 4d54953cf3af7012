namespace Distributed.Futures.Internal;

/// <summary>
/// <see cref="Future.Wait{TFuture}"/> and <see cref="Future.WaitAsync{TFuture}"/> (Python's
/// <c>concurrent.futures.wait</c>): one <see cref="ConditionWaiter"/> on the futures not yet done,
/// removed from each again however the wait ends.
/// </summary>
internal static class FutureWaiting
{
    public static DoneAndNotDone<TFuture> Wait<TFuture>(HashSet<TFuture> set, Deadline deadline, ReturnWhen returnWhen)
        where TFuture : Future
    {
        var installed = InstallConditionWaiter(set, returnWhen);
        if (installed is var (waiter, watched))
        {
            try
            {
                WaitOnTask(waiter.Met, deadline);
            }
            finally
            {
                RemoveWaiter(watched, waiter);
            }
        }

        return Partition(set);
    }

    public static async Task<DoneAndNotDone<TFuture>> WaitAsync<TFuture>(
        HashSet<TFuture> set,
        Deadline deadline,
        ReturnWhen returnWhen,
        CancellationToken cancellationToken)
        where TFuture : Future
    {
        cancellationToken.ThrowIfCancellationRequested();
        var installed = InstallConditionWaiter(set, returnWhen);
        if (installed is var (waiter, watched))
        {
            try
            {
                await WaitOnTaskAsync(waiter.Met, deadline, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                RemoveWaiter(watched, waiter);
            }
        }

        return Partition(set);
    }

    public static void ThrowIfUndefined(ReturnWhen returnWhen)
    {
        if (!Enum.IsDefined(returnWhen))
        {
            throw new ArgumentOutOfRangeException(nameof(returnWhen), returnWhen, "Not a ReturnWhen value.");
        }
    }

    /// <summary>
    /// Installs a waiter on the futures not yet done, unless the condition already holds.
    /// A future that completes during installation reports itself at once.
    /// </summary>
    private static (ConditionWaiter Waiter, List<TFuture> Watched)? InstallConditionWaiter<TFuture>(
        HashSet<TFuture> set,
        ReturnWhen returnWhen)
        where TFuture : Future
    {
        // Snapshot first, then test the condition: a future that completes in between is then either
        // counted by the test or watched (and reports itself when the waiter is added).
        var watched = set.Where(f => !f.IsDone).ToList();
        if (watched.Count == 0 || ConditionWaiter.Holds(set, returnWhen))
        {
            return null;
        }

        var waiter = new ConditionWaiter(returnWhen, watched.Count);
        foreach (var future in watched)
        {
            if (!future.TryAddCompletion(waiter))
            {
                waiter.OnFutureDone(future);
            }
        }

        return (waiter, watched);
    }

    private static void RemoveWaiter<TFuture>(List<TFuture> watched, FutureWaiter waiter)
        where TFuture : Future
    {
        foreach (var future in watched)
        {
            future.RemoveCompletion(waiter);
        }
    }

    private static DoneAndNotDone<TFuture> Partition<TFuture>(HashSet<TFuture> set)
        where TFuture : Future
    {
        var done = new HashSet<TFuture>(ReferenceEqualityComparer.Instance);
        var notDone = new HashSet<TFuture>(ReferenceEqualityComparer.Instance);
        foreach (var future in set)
        {
            (future.IsDone ? done : notDone).Add(future);
        }

        return new DoneAndNotDone<TFuture>(done, notDone);
    }

    private static void WaitOnTask(Task task, Deadline deadline)
    {
        // Task.Wait takes an int; loop so a deadline beyond int.MaxValue milliseconds still holds.
        while (!task.Wait(deadline.RemainingMilliseconds))
        {
            if (deadline.RemainingMilliseconds == 0)
            {
                return;
            }
        }
    }

    private static async Task WaitOnTaskAsync(Task task, Deadline deadline, CancellationToken cancellationToken)
    {
        while (!task.IsCompleted)
        {
            int milliseconds = deadline.RemainingMilliseconds;
            if (milliseconds == 0)
            {
                return;
            }

            try
            {
                await task.WaitAsync(TimeSpan.FromMilliseconds(milliseconds), cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // Loop: either the deadline passed (checked above) or the slice ended early.
            }
        }
    }
}
