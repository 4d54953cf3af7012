using Distributed.Coordinator.Engine;
using Microsoft.Extensions.Logging;

namespace Distributed.Futures;

/// <summary>How a <see cref="ProcessPoolExecutor"/> runs its workers. Every setting has a documented default.</summary>
public sealed class ProcessPoolOptions
{
    /// <summary>How many worker processes run calls at once; default <see cref="Environment.ProcessorCount"/>.</summary>
    public int? MaxWorkers { get; set; }

    /// <summary>
    /// Runs once in each worker process before its first call; a public static method or a lambda
    /// that captures nothing. If it throws, the pool is broken.
    /// </summary>
    public Action? Initializer { get; set; }

    /// <summary>How many tasks a worker process runs before it is replaced by a fresh one; default no limit.</summary>
    public int? MaxTasksPerChild { get; set; }

    /// <summary>
    /// How many more times a task runs after the worker running it died; default 3, so at most
    /// four attempts. After that the task alone fails with <see cref="WorkerLostException"/>.
    /// </summary>
    public int MaxRetries { get; set; } = EngineDefaults.MaxRetries;

    /// <summary>How often an idle worker says it is alive; default 1 second.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = EngineDefaults.HeartbeatInterval;

    /// <summary>
    /// A worker not heard from for this long is taken for dead: its task runs elsewhere and the
    /// process is replaced. Default 10 seconds. A worker whose process dies is noticed at once.
    /// </summary>
    public TimeSpan HeartbeatTimeout { get; set; } = EngineDefaults.HeartbeatTimeout;

    /// <summary>
    /// The worker program to start; default <c>distributed-worker/worker.dll</c> beside the
    /// Distributed.Coordinator assembly, where it ships (or in its package, when the assembly runs
    /// from a NuGet cache).
    /// </summary>
    public string? WorkerProgramPath { get; set; }

    /// <summary>
    /// Tasks queued while the pool has no worker process at all (every one died, and replacements
    /// keep dying before they are ready) fail after this long with a
    /// <see cref="BrokenExecutorException"/> that says why, instead of waiting forever; the pool
    /// itself goes on. Default 60 seconds; <see cref="Timeout.InfiniteTimeSpan"/> waits forever.
    /// </summary>
    public TimeSpan NoWorkerTimeout { get; set; } = EngineDefaults.NoWorkerTimeout;

    /// <summary>
    /// The largest message between the pool and its workers: a call whose arguments do not fit
    /// fails its own future with an <see cref="ArgumentException"/>, a result that does not fit
    /// fails its own future with an exception naming its size; both name this limit. Default 64 MiB.
    /// </summary>
    public int MaxMessageBytes { get; set; } = Distributed.Protocol.ProtocolInfo.DefaultMaxMessageBytes;

    /// <summary>The clock the pool's timeouts (heartbeats, no-worker timeout, restart backoff) run on; default the system clock.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Where the pool's own diagnostics go; default nowhere.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }
}
