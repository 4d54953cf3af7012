namespace Distributed.Futures;

/// <summary>Thrown when an executor can no longer run work (Python's <c>BrokenExecutor</c>).</summary>
public class BrokenExecutorException : InvalidOperationException
{
    /// <summary>Creates the exception with the default message.</summary>
    public BrokenExecutorException()
        : base("The executor is broken and cannot run new work.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public BrokenExecutorException(string? message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    public BrokenExecutorException(string? message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
