using Distributed.Coordinator.Engine;
using Distributed.Protocol;

namespace Distributed.Coordinator.Hosting;

/// <summary>What a standalone coordinator listens on and how it runs; validated when it starts.</summary>
internal sealed class CoordinatorOptions
{
    /// <summary>The addresses to listen on: http://host:port, https://host:port or unix:/path. Port 0 picks a free one.</summary>
    public IList<string> Listen { get; } = [];

    /// <summary>Local worker processes to start and supervise; 0 serves only remote workers.</summary>
    public int Workers { get; set; }

    /// <summary>Slots of each local worker.</summary>
    public int WorkerSlots { get; set; } = 1;

    /// <summary>Task assemblies handed to the local workers.</summary>
    public IList<string> TaskAssemblies { get; } = [];

    /// <summary>The shared secret clients and workers must present; without one, only loopback addresses are allowed.</summary>
    public string? Token { get; set; }

    /// <summary>The certificate (PFX or PEM) for https:// addresses.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>The certificate's password, if it has one.</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>The largest message either way, on every endpoint.</summary>
    public int MaxMessageBytes { get; set; } = ProtocolInfo.DefaultMaxMessageBytes;

    /// <summary>How often idle workers send a heartbeat.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = EngineDefaults.HeartbeatInterval;

    /// <summary>A worker not heard from for this long is lost; its tasks run elsewhere.</summary>
    public TimeSpan HeartbeatTimeout { get; set; } = EngineDefaults.HeartbeatTimeout;

    /// <summary>How many more times a task runs after its worker died.</summary>
    public int MaxRetries { get; set; } = EngineDefaults.MaxRetries;

    /// <summary>
    /// A client not heard from for this long (HTTP/2 keep-alive pings go unanswered) is taken for
    /// gone, and its queued work is canceled.
    /// </summary>
    public TimeSpan ClientTimeout { get; set; } = EngineDefaults.ClientTimeout;

    /// <summary>
    /// Tasks queued while no worker at all is connected fail after this long, with a clear error,
    /// instead of waiting forever; <see cref="Timeout.InfiniteTimeSpan"/> waits forever. Default
    /// 60 s: longer than a worker takes to restart or a rolling upgrade to pass.
    /// </summary>
    public TimeSpan NoWorkerTimeout { get; set; } = EngineDefaults.NoWorkerTimeout;

    /// <summary>
    /// Where to serve the Prometheus scrape endpoint (<c>/metrics</c>), http://ip:port; null: nowhere.
    /// Reachable from other machines only with a token, which scrapes then present as a bearer token.
    /// </summary>
    public string? MetricsListen { get; set; }

    /// <summary>
    /// Where to serve grpc.health.v1.Health alone, over plaintext HTTP/2 without a token, http://ip:port;
    /// null: nowhere. Kubernetes' gRPC probes speak only plaintext, so a coordinator whose
    /// <see cref="Listen"/> addresses are https needs this port for them. It answers exactly what
    /// the main ports' health service answers, and refuses every other call.
    /// </summary>
    public string? HealthListen { get; set; }

    /// <summary>
    /// Where to serve the live dashboard (http://host:port or https://host:port; port 0 picks a
    /// free one), on an endpoint of its own; null (the default) serves none. Without a token only
    /// loopback is allowed; with one, the dashboard asks for it too.
    /// </summary>
    public string? DashboardListen { get; set; }

    /// <summary>The clock every timeout runs on; a test may pass a fake one.</summary>
    public TimeProvider Time { get; set; } = TimeProvider.System;
}
