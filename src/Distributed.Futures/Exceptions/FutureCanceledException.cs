namespace Distributed.Futures;

/// <summary>
/// Thrown when the outcome of a canceled <see cref="Future"/> is requested (Python's <c>CancelledError</c>).
/// It is an <see cref="OperationCanceledException"/>, so <c>await</c> code that already handles
/// cancellation handles it too.
/// </summary>
public class FutureCanceledException : OperationCanceledException
{
    /// <summary>Creates the exception with the default message.</summary>
    public FutureCanceledException()
        : base("The future was canceled.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public FutureCanceledException(string? message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    public FutureCanceledException(string? message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
