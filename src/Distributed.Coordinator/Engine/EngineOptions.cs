using Distributed.Protocol.V1;

namespace Distributed.Coordinator.Engine;

/// <summary>The engine's rules, set by whoever hosts it (the embedded pool, the coordinator executable).</summary>
internal sealed class EngineOptions
{
    /// <summary>How many more times an item runs after its worker died under it.</summary>
    public int MaxRetries { get; init; } = 3;

    /// <summary>How often idle workers send a heartbeat.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>A worker not heard from for this long is lost.</summary>
    public TimeSpan HeartbeatTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Units a worker runs before it is replaced, or null for no limit.</summary>
    public int? MaxTasksPerWorker { get; init; }

    /// <summary>Runs once in each worker before its first call, or null.</summary>
    public FunctionRef? Initializer { get; init; }

    /// <summary>True for an embedded pool: workers load the app's assemblies from the paths sent.</summary>
    public bool AcceptAssemblyPaths { get; init; }
}
