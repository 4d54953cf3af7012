namespace Distributed.Protocol;

/// <summary>
/// A value that cannot be encoded for, or decoded from, the wire: its message names the declared
/// type and what went wrong. It fails the one call it belongs to, never the pool.
/// </summary>
public sealed class ValueCodecException : Exception
{
    public ValueCodecException()
    {
    }

    public ValueCodecException(string? message)
        : base(message)
    {
    }

    public ValueCodecException(string? message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
