namespace Distributed.Coordinator.Engine;

/// <summary>
/// The engine's defaults, in one place: the embedded pool's options, the coordinator's options and
/// its command line all start from these.
/// </summary>
internal static class EngineDefaults
{
    /// <summary>Retries after a worker died under a task: at most four attempts.</summary>
    public const int MaxRetries = 3;

    /// <summary>How often an idle worker says it is alive.</summary>
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(1);

    /// <summary>A worker silent this long is taken for dead: ten missed heartbeats.</summary>
    public static readonly TimeSpan HeartbeatTimeout = TimeSpan.FromSeconds(10);

    /// <summary>A remote client silent this long is taken for gone.</summary>
    public static readonly TimeSpan ClientTimeout = TimeSpan.FromSeconds(20);

    /// <summary>Tasks wait this long with no worker at all: longer than a worker takes to restart or a rolling upgrade to pass.</summary>
    public static readonly TimeSpan NoWorkerTimeout = TimeSpan.FromSeconds(60);
}
