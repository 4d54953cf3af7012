namespace Distributed.Futures;

/// <summary>Thrown when a <see cref="ThreadPoolExecutor"/> is broken because a worker thread's initializer failed (Python's <c>BrokenThreadPool</c>).</summary>
public sealed class BrokenThreadPoolException : BrokenExecutorException
{
    /// <summary>Creates the exception with the default message.</summary>
    public BrokenThreadPoolException()
        : base("A thread initializer failed; the thread pool is not usable anymore.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public BrokenThreadPoolException(string? message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    public BrokenThreadPoolException(string? message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
