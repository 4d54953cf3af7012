using Distributed.Protocol;
using Distributed.Protocol.V1;

namespace Distributed.Coordinator.Engine;

/// <summary>The engine's rules, set by whoever hosts it (the embedded pool, the coordinator executable).</summary>
internal sealed class EngineOptions
{
    /// <summary>How many more times an item runs after its worker died under it.</summary>
    public int MaxRetries { get; init; } = EngineDefaults.MaxRetries;

    /// <summary>How often idle workers send a heartbeat.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = EngineDefaults.HeartbeatInterval;

    /// <summary>A worker not heard from for this long is lost.</summary>
    public TimeSpan HeartbeatTimeout { get; init; } = EngineDefaults.HeartbeatTimeout;

    /// <summary>A remote client not heard from for this long is taken for gone; its queued work is canceled.</summary>
    public TimeSpan ClientTimeout { get; init; } = EngineDefaults.ClientTimeout;

    /// <summary>
    /// Tasks queued while no worker at all is connected fail after this long, instead of waiting
    /// forever; <see cref="Timeout.InfiniteTimeSpan"/> waits forever.
    /// </summary>
    public TimeSpan NoWorkerTimeout { get; init; } = EngineDefaults.NoWorkerTimeout;

    /// <summary>How the no-worker timeout is set where this engine runs, for the messages that name it.</summary>
    public string NoWorkerTimeoutSetting { get; init; } = "the no-worker timeout";

    /// <summary>The largest message on any of the engine's streams.</summary>
    public int MaxMessageBytes { get; init; } = ProtocolInfo.DefaultMaxMessageBytes;

    /// <summary>Units a worker runs before it is replaced, or null for no limit.</summary>
    public int? MaxTasksPerWorker { get; init; }

    /// <summary>Runs once in each worker before its first call, or null.</summary>
    public FunctionRef? Initializer { get; init; }

    /// <summary>True for an embedded pool: workers load the app's assemblies from the paths sent.</summary>
    public bool AcceptAssemblyPaths { get; init; }

    /// <summary>Where the engine's meter comes from (the host's DI), or null for one of its own.</summary>
    public System.Diagnostics.Metrics.IMeterFactory? MeterFactory { get; init; }

    /// <summary>The clock every timeout is measured on.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>True when tasks wait forever for a worker.</summary>
    public bool WaitsForeverForWorkers => NoWorkerTimeout == Timeout.InfiniteTimeSpan;

    /// <summary>
    /// How often the watchdog looks: often enough that each timeout is noticed within its own
    /// length (a silence is judged against the timeout less one period), and rarely enough that a
    /// live worker, which speaks every heartbeat interval, is never taken for a silent one.
    /// </summary>
    public TimeSpan WatchdogPeriod
    {
        get
        {
            var period = Min(Min(HeartbeatInterval, (HeartbeatTimeout - HeartbeatInterval) / 4), ClientTimeout / 10);
            if (!WaitsForeverForWorkers)
            {
                period = Min(period, NoWorkerTimeout / 10);
            }

            return period < s_shortestPeriod ? s_shortestPeriod : period;
        }
    }

    private static readonly TimeSpan s_shortestPeriod = TimeSpan.FromMilliseconds(10);

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
