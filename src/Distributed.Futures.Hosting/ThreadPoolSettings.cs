namespace Distributed.Futures;

/// <summary>
/// A <see cref="ThreadPoolExecutor"/> registered in a service collection: its constructor's
/// arguments as settings, bindable from configuration (<c>MaxWorkers</c>, <c>ThreadNamePrefix</c>).
/// </summary>
public sealed class ThreadPoolSettings
{
    /// <summary>The most threads the pool runs; default <c>Math.Min(32, Environment.ProcessorCount + 4)</c>.</summary>
    public int? MaxWorkers { get; set; }

    /// <summary>Threads are named <c>"{prefix}_{i}"</c>; default <c>"ThreadPoolExecutor-{n}"</c>.</summary>
    public string? ThreadNamePrefix { get; set; }

    /// <summary>Runs once in each pool thread before its first task; set in code (configuration cannot name a delegate).</summary>
    public Action? Initializer { get; set; }
}
