namespace Distributed.Futures;

/// <summary>
/// Thrown by a future whose task was running on a worker that died (killed, exited, or stopped
/// heartbeating) on every attempt the executor allowed. Unlike Python, where one dead worker breaks
/// the whole pool, only this future fails; the pool and every other task keep going.
/// </summary>
public sealed class WorkerLostException : Exception
{
    /// <summary>Creates the exception with the default message.</summary>
    public WorkerLostException()
        : base("The worker running the task was lost and retries were used up.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public WorkerLostException(string? message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    public WorkerLostException(string? message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a task that was attempted <paramref name="attempts"/> times.</summary>
    /// <param name="message">What happened.</param>
    /// <param name="workerId">The worker lost on the last attempt, if known.</param>
    /// <param name="attempts">How many times the task was started.</param>
    public WorkerLostException(string? message, string? workerId, int attempts)
        : base(message)
    {
        WorkerId = workerId;
        Attempts = attempts;
    }

    /// <summary>The id of the worker that was lost on the last attempt, if known.</summary>
    public string? WorkerId { get; }

    /// <summary>How many times the task was started before the executor gave up.</summary>
    public int Attempts { get; }
}
