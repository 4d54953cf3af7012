using Distributed.Futures.Internal;

namespace Distributed.Futures;

public abstract partial class Future
{
    /// <summary>
    /// Reports the progress of a batch of futures to <paramref name="progress"/> as they complete:
    /// how many are done (succeeded, failed, canceled) of how many, the rate and the time left. The
    /// futures may come from any executors, mixed; duplicates count once.
    /// </summary>
    /// <param name="futures">The batch; read once, at this call.</param>
    /// <param name="progress">The sink. It gets a first report at once, then at most one per
    /// <see cref="ProgressOptions.Interval"/>, from whichever thread completes a future (or a timer's),
    /// one call at a time and never an older snapshot after a newer one; and the final report
    /// (<see cref="BatchProgress.IsFinal"/>, <c>Done == Total</c>) exactly once, last. What it throws is
    /// reported through <see cref="CallbackFailed"/> (with the returned future) and swallowed: it never
    /// reaches the executor or the futures.</param>
    /// <param name="options">The interval and the clock; <see cref="ProgressOptions.Default"/> if null.</param>
    /// <returns>A future that ends with the final report once the sink has had it. Canceling it stops
    /// the reports; the futures are not touched.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="futures"/> or <paramref name="progress"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="futures"/> contains null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="ProgressOptions.Interval"/> is negative.</exception>
    /// <remarks>Costs one done callback per future, nothing on futures nobody tracks.</remarks>
    public static Future<BatchProgress> Track(IEnumerable<Future> futures, IProgress<BatchProgress> progress, ProgressOptions? options = null)
    {
        var set = FutureSets.Distinct(futures);
        ArgumentNullException.ThrowIfNull(progress);
        options ??= ProgressOptions.Default;
        options.Validate(nameof(options));

        // Futures done already are in the first report; the others are counted by a done callback
        // (which runs at once for one that finishes in between, so each future counts once).
        var outcomes = new long[3];
        var pending = new List<Future>(set.Count);
        foreach (var future in set)
        {
            if (future.IsDone)
            {
                outcomes[(int)ProgressReporter.OutcomeOf(future)]++;
            }
            else
            {
                pending.Add(future);
            }
        }

        var reporter = new ProgressReporter(progress, options, waitForFinalDelivery: false);
        reporter.Start(
            set.Count,
            outcomes[(int)ProgressOutcome.Succeeded],
            outcomes[(int)ProgressOutcome.Failed],
            outcomes[(int)ProgressOutcome.Canceled]);
        Action<Future> onDone = reporter.OnFutureDone;
        foreach (var future in pending)
        {
            future.AddDoneCallback(onDone);
        }

        return reporter.Completion;
    }
}
