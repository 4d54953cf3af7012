namespace Distributed.Protocol;

/// <summary>
/// A value that cannot be encoded for, or decoded from, the wire: its message names the declared
/// type and what went wrong. It fails the one call it belongs to, never the pool.
/// </summary>
public sealed class ValueCodecException : Exception
{
    /// <summary>Creates the exception with the default message.</summary>
    public ValueCodecException()
        : base("A value cannot be encoded for, or decoded from, the wire.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public ValueCodecException(string? message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    public ValueCodecException(string? message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
