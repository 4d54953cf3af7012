using Distributed.Futures;
using Wire = Distributed.Protocol.V1.TaskOptions;

namespace Distributed.Protocol;

/// <summary><see cref="TaskOptions"/> on the wire, and what a worker reads from them.</summary>
public static class TaskOptionsWire
{
    /// <summary>The options as a unit carries them; null for the defaults, which travel as nothing.</summary>
    public static Wire? ToWire(TaskOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Equals(TaskOptions.Default))
        {
            return null;
        }

        var wire = new Wire
        {
            TimeoutMs = options.Timeout is { } limit ? (ulong)Math.Ceiling(limit.TotalMilliseconds) : 0,
            MaxRetries = (uint)options.MaxRetries,
            Priority = options.Priority,
        };
        foreach (var type in options.RetryOn)
        {
            wire.RetryOn.Add(type.FullName ?? type.Name);
        }

        return wire;
    }

    /// <summary>
    /// True if <paramref name="exception"/> is of one of the types <paramref name="options"/> retry on,
    /// by full name along its base types: the worker need not load a type to recognize it.
    /// </summary>
    public static bool ShouldRetry(Wire? options, Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (options is null || options.MaxRetries == 0 || options.RetryOn.Count == 0)
        {
            return false;
        }

        for (var type = exception.GetType(); type is not null; type = type.BaseType)
        {
            if (options.RetryOn.Contains(type.FullName ?? type.Name))
            {
                return true;
            }
        }

        return false;
    }
}
