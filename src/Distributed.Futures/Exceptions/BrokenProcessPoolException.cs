namespace Distributed.Futures;

/// <summary>Thrown when a process pool cannot run work because its worker processes cannot be started, for example when the initializer throws or the worker program is missing (Python's <c>BrokenProcessPool</c>).</summary>
public sealed class BrokenProcessPoolException : BrokenExecutorException
{
    /// <summary>Creates the exception with the default message.</summary>
    public BrokenProcessPoolException()
        : base("The process pool is broken: its worker processes cannot be started.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public BrokenProcessPoolException(string? message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    public BrokenProcessPoolException(string? message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
