using Distributed.Futures.Internal;

namespace Distributed.Futures;

/// <summary>Follows the progress of a sequence of results, such as a <c>Map</c>'s.</summary>
public static class ProgressExtensions
{
    /// <summary>
    /// Reports to <paramref name="progress"/> how far the enumeration of <paramref name="source"/>
    /// has come. On the results of <see cref="Executor"/>'s <c>Map</c> (any overload, any executor)
    /// it follows the Map itself, returning the same sequence: a result counts once the Map has its
    /// outcome in hand, in input order, as succeeded, or, for the one that ends the iteration, as
    /// failed or canceled; the total is known from the start unless a buffered Map reads a sequence
    /// that is not a collection, and becomes known when that sequence runs out. On any other
    /// sequence an item counts once the consumer moves past it (asks for the next, or reaches the end;
    /// an enumerator disposed early leaves its current item uncounted), so the work a <c>foreach</c>
    /// body does on it is part of it; each enumeration is followed on its own.
    /// </summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="source">The sequence to follow.</param>
    /// <param name="progress">The sink: a first report when the following starts, then at most one per
    /// <see cref="ProgressOptions.Interval"/> (from the enumerating thread, or a timer's while it
    /// waits), one call at a time; and the final report (<see cref="BatchProgress.IsFinal"/>) exactly
    /// once, when the iteration ends, however it ends: the <c>MoveNext</c> (or <c>Dispose</c>) that
    /// ends it returns only after the sink has had it, so the caller's next output comes after it.
    /// What the sink throws is reported through <see cref="Future.CallbackFailed"/> and swallowed.</param>
    /// <param name="options">The interval and the clock; <see cref="ProgressOptions.Default"/> if null.</param>
    /// <returns>The sequence to enumerate instead of <paramref name="source"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> or <paramref name="progress"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="ProgressOptions.Interval"/> is negative.</exception>
    /// <exception cref="InvalidOperationException">The Map's results are already followed, or their iteration has ended.</exception>
    public static IEnumerable<T> WithProgress<T>(this IEnumerable<T> source, IProgress<BatchProgress> progress, ProgressOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(progress);
        options ??= ProgressOptions.Default;
        options.Validate(nameof(options));

        if (source is IProgressSource map)
        {
            // A Map submitted its work at its call: following starts now, not at the first MoveNext.
            map.Follow(new ProgressReporter(progress, options, waitForFinalDelivery: true));
            return source;
        }

        return new ProgressSequence<T>(source, progress, options);
    }
}
