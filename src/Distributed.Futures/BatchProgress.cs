namespace Distributed.Futures;

/// <summary>
/// How far a batch of work has come: a snapshot that <see cref="Future.Track"/> and
/// <see cref="ProgressExtensions.WithProgress{T}"/> hand to an <see cref="IProgress{T}"/>. Immutable,
/// so a sink may keep it or pass it to another thread.
/// </summary>
/// <param name="Succeeded">Items that ended with a result.</param>
/// <param name="Failed">Items that ended with an exception.</param>
/// <param name="Canceled">Items that ended canceled.</param>
/// <param name="Total">How many items the batch has; null while that is unknown (a buffered <c>Map</c>
/// over a sequence that is not a collection, until the sequence runs out).</param>
/// <param name="Elapsed">Time since tracking started.</param>
/// <param name="IsFinal">True for the last report of the batch, sent exactly once: every item is done,
/// or the sequence ended early (an exception, a timeout, the enumerator disposed).</param>
public sealed record BatchProgress(long Succeeded, long Failed, long Canceled, long? Total, TimeSpan Elapsed, bool IsFinal)
{
    /// <summary>Items done, however they ended.</summary>
    public long Done => Succeeded + Failed + Canceled;

    /// <summary>Items done per second, averaged over <see cref="Elapsed"/>; 0 before any time has passed.</summary>
    /// <remarks>An average over the whole run, not a moving window: it does not jump when a few items
    /// finish together, which is what the estimate built on it needs.</remarks>
    public double Rate => Elapsed > TimeSpan.Zero ? Done / Elapsed.TotalSeconds : 0;

    /// <summary>
    /// The time left at <see cref="Rate"/>: null while it means nothing (the total unknown, nothing
    /// done yet, no time passed); zero once everything is done.
    /// </summary>
    public TimeSpan? EstimatedRemaining
    {
        get
        {
            if (Total is not { } total)
            {
                return null;
            }

            if (Done >= total)
            {
                return TimeSpan.Zero;
            }

            double rate = Rate;
            if (rate <= 0)
            {
                return null;
            }

            double seconds = (total - Done) / rate;
            return seconds >= TimeSpan.MaxValue.TotalSeconds ? TimeSpan.MaxValue : TimeSpan.FromSeconds(seconds);
        }
    }

    /// <summary>The share done, from 0 to 1; null while the total is unknown, and 1 for an empty batch.</summary>
    public double? Fraction => Total switch
    {
        null => null,
        0 => 1,
        { } total => Math.Min(1, (double)Done / total),
    };

    /// <summary>One line, such as <c>12/32 done (37.5%), 4.1/s, about 5 s left</c>.</summary>
    public override string ToString()
    {
        string done = Total is { } total ? $"{Done}/{total} done ({Fraction * 100:F1}%)" : $"{Done} done";
        string outcomes = Failed + Canceled > 0 ? $" [{Failed} failed, {Canceled} canceled]" : string.Empty;
        string left = IsFinal
            ? $" in {Elapsed.TotalSeconds:F1} s"
            : EstimatedRemaining is { } remaining ? $", about {Math.Ceiling(remaining.TotalSeconds):F0} s left" : string.Empty;
        return $"{done}{outcomes}, {Rate:F1}/s{left}";
    }
}
