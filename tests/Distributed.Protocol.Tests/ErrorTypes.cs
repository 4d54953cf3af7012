namespace Distributed.Protocol.Tests;

/// <summary>No <c>(string, Exception)</c> constructor: cannot be rebuilt.</summary>
public sealed class MessageOnlyException(string message) : Exception(message);

/// <summary>Has the constructor, but it throws: the rebuild falls back.</summary>
public sealed class ThrowingConstructorException : Exception
{
    public ThrowingConstructorException()
    {
    }

    public ThrowingConstructorException(string message)
        : base(message)
    {
    }

    public ThrowingConstructorException(string message, Exception innerException)
        : base(message, innerException) => throw new InvalidOperationException("refuses to be built");
}

/// <summary>Abstract: never instantiated.</summary>
public abstract class AbstractTaskException(string message, Exception innerException) : Exception(message, innerException);

/// <summary>Has the constructor shape but is no exception; counts constructions to prove none happens.</summary>
public sealed class ExceptionLookalike
{
    private static int s_constructed;

    public ExceptionLookalike(string message, Exception innerException)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(innerException);
        Interlocked.Increment(ref s_constructed);
    }

    public static int Constructed => Volatile.Read(ref s_constructed);
}
