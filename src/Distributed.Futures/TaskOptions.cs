namespace Distributed.Futures;

/// <summary>
/// How the tasks submitted through an executor view run (see <see cref="Executor.With"/>): a time
/// limit, retries on chosen exceptions, and a priority. The defaults are the plain executor's:
/// no limit, no retries, priority 0.
/// </summary>
/// <remarks>A record: derive one from another with <c>options with { Priority = 5 }</c>.</remarks>
public sealed record TaskOptions
{
    private readonly TimeSpan? _timeout;
    private readonly int _maxRetries;
    private readonly IReadOnlyList<Type> _retryOn = [];

    /// <summary>The options a plain executor runs with.</summary>
    public static TaskOptions Default { get; } = new();

    /// <summary>
    /// How long one run of a task may take, from its start (time in the queue does not count).
    /// A task still running at the deadline fails with <see cref="TimeoutException"/> naming the
    /// limit, and its <see cref="CancellationToken"/> parameters, if it has any, are signaled.
    /// A thread pool's future fails at the deadline, while the thread finishes the call on its own
    /// (it cannot be stopped, only asked through its token). A process or remote pool fails it
    /// when the call ends, or, if it ignores its token, a short grace later, by recycling the worker
    /// process that runs it: the worker is ended and replaced, and the other tasks it held run
    /// again elsewhere. A timed-out task is not retried. Null (the default): no limit.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is zero or negative, or longer than <see cref="int.MaxValue"/> milliseconds.</exception>
    public TimeSpan? Timeout
    {
        get => _timeout;
        init
        {
            if (value is { } limit && (limit <= TimeSpan.Zero || limit.TotalMilliseconds > int.MaxValue))
            {
                throw new ArgumentOutOfRangeException(nameof(Timeout), limit, "Timeout must be positive and at most int.MaxValue milliseconds.");
            }

            _timeout = value;
        }
    }

    /// <summary>
    /// How many times a task that threw one of <see cref="RetryOn"/> runs again (in a pool, on any
    /// worker); once they are used up its future fails with the last exception. Retries for a
    /// worker that died under the task are separate (the pool's own setting). Default 0.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative or above 255.</exception>
    public int MaxRetries
    {
        get => _maxRetries;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value, nameof(MaxRetries));
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, byte.MaxValue, nameof(MaxRetries));
            _maxRetries = value;
        }
    }

    /// <summary>
    /// The exception types a retry is for: an exception of one of these types, or of a type derived
    /// from one, is retried (see <see cref="MaxRetries"/>). Empty (the default): none.
    /// </summary>
    /// <exception cref="ArgumentNullException">The list or one of its types is null.</exception>
    /// <exception cref="ArgumentException">A type is not an exception type.</exception>
    public IReadOnlyList<Type> RetryOn
    {
        get => _retryOn;
        init
        {
            ArgumentNullException.ThrowIfNull(value, nameof(RetryOn));
            foreach (var type in value)
            {
                ArgumentNullException.ThrowIfNull(type, nameof(RetryOn));
                if (!typeof(Exception).IsAssignableFrom(type))
                {
                    throw new ArgumentException($"RetryOn lists {type.FullName}, which is not an exception type.", nameof(RetryOn));
                }
            }

            _retryOn = [.. value];
        }
    }

    /// <summary>
    /// Which queued tasks run first: higher before lower, and tasks of equal priority in the order
    /// they were submitted. A coordinator orders the tasks of all its clients by it. A running task
    /// is never stopped for a later one of higher priority. Default 0.
    /// </summary>
    public int Priority { get; init; }

    /// <summary>True if <paramref name="exception"/> is of one of the <see cref="RetryOn"/> types.</summary>
    public bool ShouldRetry(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        foreach (var type in _retryOn)
        {
            if (type.IsInstanceOfType(exception))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The message of the <see cref="TimeoutException"/> a task that ran too long fails with.</summary>
    /// <param name="limit">The timeout.</param>
    /// <param name="function">The task's function, as people read it.</param>
    internal static string TimeoutMessage(TimeSpan limit, string function) =>
        $"{function} ran longer than its timeout of {Describe(limit)} (TaskOptions.Timeout).";

    /// <inheritdoc/>
    public bool Equals(TaskOptions? other) =>
        ReferenceEquals(this, other)
        || (other is not null
        && _timeout == other._timeout
        && _maxRetries == other._maxRetries
        && Priority == other.Priority
        && _retryOn.SequenceEqual(other._retryOn));

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(_timeout, _maxRetries, Priority, _retryOn.Count);

    private static string Describe(TimeSpan limit) =>
        limit.TotalSeconds >= 1 && limit.Milliseconds == 0 ? $"{limit.TotalSeconds:0.###} s" : $"{limit.TotalMilliseconds:0.###} ms";
}
