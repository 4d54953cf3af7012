using Distributed.Futures.Internal;

namespace Distributed.Futures;

public abstract partial class Future
{
    /// <summary>
    /// Waits until the futures meet <paramref name="returnWhen"/> or the timeout passes (Python's
    /// <c>concurrent.futures.wait</c>). Futures of different executors can be mixed; duplicates
    /// count once; a canceled future counts as done at once.
    /// </summary>
    /// <param name="futures">The futures to wait on.</param>
    /// <param name="timeout">How long to wait: <c>null</c> or <see cref="Timeout.InfiniteTimeSpan"/> waits forever; zero or negative does not wait.</param>
    /// <param name="returnWhen">When to return.</param>
    /// <returns>The futures that were done and those that were not. On timeout, the partial sets; never throws for a timeout.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="futures"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="futures"/> contains null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="returnWhen"/> is not a defined value.</exception>
    public static DoneAndNotDone<TFuture> Wait<TFuture>(
        IEnumerable<TFuture> futures,
        TimeSpan? timeout = null,
        ReturnWhen returnWhen = ReturnWhen.AllCompleted)
        where TFuture : Future
    {
        var set = FutureSets.Distinct(futures);
        ThrowIfUndefined(returnWhen);
        var deadline = Deadline.After(timeout);
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

    /// <summary>
    /// The asynchronous form of <see cref="Wait{TFuture}"/>: completes when the condition holds or
    /// the timeout passes, without blocking a thread.
    /// </summary>
    /// <param name="futures">The futures to wait on.</param>
    /// <param name="timeout">How long to wait, as for <see cref="Wait{TFuture}"/>.</param>
    /// <param name="returnWhen">When to return.</param>
    /// <param name="cancellationToken">Ends the wait with <see cref="OperationCanceledException"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="futures"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="futures"/> contains null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="returnWhen"/> is not a defined value.</exception>
    public static Task<DoneAndNotDone<TFuture>> WaitAsync<TFuture>(
        IEnumerable<TFuture> futures,
        TimeSpan? timeout = null,
        ReturnWhen returnWhen = ReturnWhen.AllCompleted,
        CancellationToken cancellationToken = default)
        where TFuture : Future
    {
        // Arguments are checked here, at the call, not when the task is awaited.
        var set = FutureSets.Distinct(futures);
        ThrowIfUndefined(returnWhen);
        return WaitCoreAsync(set, Deadline.After(timeout), returnWhen, cancellationToken);
    }

    private static async Task<DoneAndNotDone<TFuture>> WaitCoreAsync<TFuture>(
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

    private static void ThrowIfUndefined(ReturnWhen returnWhen)
    {
        if (!Enum.IsDefined(returnWhen))
        {
            throw new ArgumentOutOfRangeException(nameof(returnWhen), returnWhen, "Not a ReturnWhen value.");
        }
    }
}
