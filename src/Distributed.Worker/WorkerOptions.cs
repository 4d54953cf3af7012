using Distributed.Protocol;

namespace Distributed.Worker;

/// <summary>How a worker connects and what it runs.</summary>
public sealed class WorkerOptions
{
    /// <summary>The coordinator to dial.</summary>
    public required CoordinatorAddress Coordinator { get; init; }

    /// <summary>This worker's name in the coordinator's status and logs; default <c>{host}-{pid}</c>.</summary>
    public string WorkerId { get; init; } = $"{Environment.MachineName}-{Environment.ProcessId}";

    /// <summary>How many calls run at once; default 1.</summary>
    public int Slots { get; init; } = 1;

    /// <summary>The shared secret the coordinator expects, or null when it runs without one.</summary>
    public string? Token { get; init; }

    /// <summary>Assemblies whose public static methods this worker may run.</summary>
    public IReadOnlyList<string> TaskAssemblyPaths { get; init; } = [];

    /// <summary>
    /// True for the local workers of an embedded process pool: they also load the submitting app's
    /// assemblies from the paths the pool sends. A standalone worker runs only its own task assemblies.
    /// </summary>
    public bool AcceptAssemblyPathsFromCoordinator { get; init; }

    /// <summary>Whether to dial again, with backoff, when the coordinator is not up yet or goes away.</summary>
    public bool Reconnect { get; init; }

    /// <summary>
    /// How long to keep trying to reach the coordinator the first time, even without
    /// <see cref="Reconnect"/>: an embedded pool starts its workers while its service is still
    /// starting. Default zero: one attempt.
    /// </summary>
    public TimeSpan FirstConnectPatience { get; init; }

    /// <summary>The first wait before dialing again; it doubles up to <see cref="ReconnectMaxDelay"/>.</summary>
    public TimeSpan ReconnectInitialDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The longest wait between two dials.</summary>
    public TimeSpan ReconnectMaxDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long the coordinator may be silent before the connection is taken for dead (HTTP/2
    /// pings); default 20 seconds. Then the worker leaves, or dials again with <see cref="Reconnect"/>.
    /// </summary>
    public TimeSpan SilenceLimit { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>The largest message either way; default 64 MiB.</summary>
    public int MaxMessageBytes { get; init; } = ProtocolInfo.DefaultMaxMessageBytes;

    /// <summary>
    /// How long a task that ran past its timeout (TaskOptions.Timeout) may go on after its token
    /// was signaled before the worker ends itself to stop it; default 2 seconds.
    /// </summary>
    public TimeSpan TimeoutGrace { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Ends the worker's process when a task cannot be stopped otherwise (see <see cref="TimeoutGrace"/>),
    /// once the coordinator has been told; default: kill this process, which its supervisor (an
    /// embedded pool's coordinator, a container's restart policy) replaces. Given the reason.
    /// </summary>
    public Action<string> EndProcess { get; init; } = static _ => System.Diagnostics.Process.GetCurrentProcess().Kill();

    /// <summary>The clock heartbeats, the first-connect patience and the reconnect backoff are measured on (tests use a fake one).</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}
