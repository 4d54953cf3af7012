namespace Distributed.Futures;

/// <summary>How often progress is reported, and by which clock.</summary>
public sealed record ProgressOptions
{
    /// <summary>The options used when none are given: reports at most every 200 ms, on the system clock.</summary>
    public static ProgressOptions Default { get; } = new();

    /// <summary>
    /// The shortest time between two reports (default 200 ms): a change inside it is reported when
    /// it is up, so a million quick items cost a handful of calls, and the last change before a long
    /// wait is not held back. The first and the final report are sent at once. Zero reports every change.
    /// </summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The clock for <see cref="BatchProgress.Elapsed"/>, the rate and the interval; inject a fake one in tests.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Throws for options that cannot be used, at the call that takes them.</summary>
    internal void Validate(string parameterName)
    {
        if (Interval < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(parameterName, Interval, "ProgressOptions.Interval must not be negative.");
        }

        if (TimeProvider is null)
        {
            throw new ArgumentNullException(parameterName, "ProgressOptions.TimeProvider must not be null.");
        }
    }
}
