namespace Distributed.Futures;

/// <summary>
/// Thrown when a <see cref="Future"/> is asked to do something its state does not allow, such as
/// setting a result twice (Python's <c>InvalidStateError</c>).
/// </summary>
public class InvalidStateException : InvalidOperationException
{
    /// <summary>Creates the exception with the default message.</summary>
    public InvalidStateException()
        : base("The future is in a state that does not allow this operation.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public InvalidStateException(string? message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    public InvalidStateException(string? message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
