namespace Distributed.Protocol;

/// <summary>A worker cannot find, or may not run, the method a call names: the message says which and why.</summary>
public sealed class FunctionResolutionException : Exception
{
    public FunctionResolutionException()
    {
    }

    public FunctionResolutionException(string? message)
        : base(message)
    {
    }

    public FunctionResolutionException(string? message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
