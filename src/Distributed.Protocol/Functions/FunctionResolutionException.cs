namespace Distributed.Protocol;

/// <summary>A worker cannot find, or may not run, the method a call names: the message says which and why.</summary>
public sealed class FunctionResolutionException : Exception
{
    /// <summary>Creates the exception with the default message.</summary>
    public FunctionResolutionException()
        : base("The worker cannot find, or may not run, the method the call names.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public FunctionResolutionException(string? message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    public FunctionResolutionException(string? message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
