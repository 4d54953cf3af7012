using System.Diagnostics;

namespace Distributed.Futures;

/// <summary>
/// A point in time after which a wait gives up, read from the monotonic clock. It turns the API's
/// timeout convention into one place: <c>null</c> and <see cref="Timeout.InfiniteTimeSpan"/> wait
/// forever; <see cref="TimeSpan.Zero"/> and every other negative value do not wait at all. Public
/// for executor authors, whose waits (a <see cref="MapChunk{TResult}"/>'s result, say) keep the same convention.
/// </summary>
public readonly struct Deadline : IEquatable<Deadline>
{
    private const long Never = long.MaxValue;

    // Stopwatch timestamp at which the deadline expires, or Never.
    private readonly long _expiresAt;

    private Deadline(long expiresAt) => _expiresAt = expiresAt;

    /// <summary>A deadline that never comes.</summary>
    public static Deadline Infinite => new(Never);

    /// <summary>True for a deadline that never comes.</summary>
    public bool IsInfinite => _expiresAt == Never;

    /// <summary>True once the deadline has passed.</summary>
    public bool HasExpired => !IsInfinite && Stopwatch.GetTimestamp() >= _expiresAt;

    /// <summary>The time left: <see cref="Timeout.InfiniteTimeSpan"/> for an infinite deadline, never negative otherwise.</summary>
    public TimeSpan Remaining
    {
        get
        {
            if (IsInfinite)
            {
                return Timeout.InfiniteTimeSpan;
            }

            long now = Stopwatch.GetTimestamp();
            return now >= _expiresAt ? TimeSpan.Zero : Stopwatch.GetElapsedTime(now, _expiresAt);
        }
    }

    /// <summary>
    /// The time left in whole milliseconds for APIs that take an <see cref="int"/>: -1 for an
    /// infinite deadline, 0 once expired. Rounded up so a wait never wakes just short of the
    /// deadline and spins; capped below <see cref="int.MaxValue"/> (callers loop).
    /// </summary>
    public int RemainingMilliseconds
    {
        get
        {
            if (IsInfinite)
            {
                return Timeout.Infinite;
            }

            double milliseconds = Math.Ceiling(Remaining.TotalMilliseconds);
            return milliseconds >= int.MaxValue ? int.MaxValue - 1 : (int)milliseconds;
        }
    }

    /// <summary>The deadline <paramref name="timeout"/> from now, by the API's convention (see the type).</summary>
    public static Deadline After(TimeSpan? timeout)
    {
        if (timeout is not { } span || span == Timeout.InfiniteTimeSpan)
        {
            return Infinite;
        }

        long now = Stopwatch.GetTimestamp();
        if (span <= TimeSpan.Zero)
        {
            return new Deadline(now);
        }

        // Saturate instead of overflowing for huge timeouts such as TimeSpan.MaxValue.
        double ticks = span.TotalSeconds * Stopwatch.Frequency;
        return ticks >= Never - now ? Infinite : new Deadline(now + (long)ticks);
    }

    /// <summary>True if both expire at the same moment.</summary>
    public static bool operator ==(Deadline left, Deadline right) => left.Equals(right);

    /// <summary>True unless both expire at the same moment.</summary>
    public static bool operator !=(Deadline left, Deadline right) => !left.Equals(right);

    /// <inheritdoc/>
    public bool Equals(Deadline other) => _expiresAt == other._expiresAt;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Deadline other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => _expiresAt.GetHashCode();
}
