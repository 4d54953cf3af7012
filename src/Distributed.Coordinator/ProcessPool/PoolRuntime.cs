using Distributed.Coordinator.Engine;
using Distributed.Coordinator.Hosting;
using Distributed.Coordinator.Supervision;
using Distributed.Futures;
using Distributed.Protocol;
using Distributed.Protocol.V1;
using Distributed.Remoting;
using Distributed.Worker;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;

namespace Distributed.Coordinator.ProcessPool;

/// <summary>
/// Everything an embedded process pool runs: the engine, its worker-facing gRPC service on a Unix
/// domain socket, the supervisor of the local worker processes, and the heartbeat check. Created
/// on the first submit; the work queues in the engine while the rest starts in the background.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage(
    "Reliability",
    "CA1001:Types that own disposable fields should be disposable",
    Justification = "The watchdog's timer is disposed by ShutdownAsync, the runtime's one way to end.")]
internal sealed partial class PoolRuntime : IUnitBackend
{
    // Workers that were told to drain get this long to leave before they are killed.
    private static readonly TimeSpan s_drainGrace = TimeSpan.FromSeconds(10);

    // The socket lives in a directory only this user can enter: the embedded pool has no token,
    // so the file system is what keeps other local users from registering as its workers.
    private readonly PrivateSocketDirectory _socketDirectory = new("distributed");
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly LocalWorkerSupervisor _supervisor;
    private WebApplication? _host;
    private EngineWatchdog? _watchdog;

    private PoolRuntime(ProcessPoolOptions options, int workers, FunctionRef? initializer, ILoggerFactory loggers)
    {
        _loggers = loggers;
        _logger = loggers.CreateLogger("Distributed.Coordinator.ProcessPool");
        Engine = new CoordinatorEngine(
            new EngineOptions
            {
                MaxRetries = options.MaxRetries,
                HeartbeatInterval = options.HeartbeatInterval,
                HeartbeatTimeout = options.HeartbeatTimeout,
                MaxTasksPerWorker = options.MaxTasksPerChild,
                Initializer = initializer,
                AcceptAssemblyPaths = true,
                NoWorkerTimeout = options.NoWorkerTimeout,
                NoWorkerTimeoutSetting = "ProcessPoolOptions.NoWorkerTimeout",
                MaxMessageBytes = options.MaxMessageBytes,
                Time = options.TimeProvider,
            },
            loggers.CreateLogger("Distributed.Coordinator"));
        Client = new PoolClient(Engine);
        _supervisor = new LocalWorkerSupervisor(
            new SupervisorSettings(
                workers,
                options.WorkerProgramPath ?? WorkerProgram.DefaultPath,
                $"unix:{SocketPath}",
                $"local-{Environment.ProcessId}",
                ["--embedded", "--max-message-bytes", $"{options.MaxMessageBytes}"],
                (int)WorkerRuntime.Outcome.InitializerFailed) { Time = options.TimeProvider },
            loggers.CreateLogger("Distributed.Coordinator.Supervision"));

        _supervisor.Attach(Engine);
        Engine.InitializerFailed += _ => _supervisor.Kill();
        _supervisor.CannotStartWorkers += reason => Break($"The process pool cannot start worker processes: {reason}.");
    }

    public CoordinatorEngine Engine { get; }

    public PoolClient Client { get; }

    /// <summary>Completes when the service listens and the workers were launched (or the pool broke trying).</summary>
    public Task Started { get; private set; } = Task.CompletedTask;

    /// <summary>The worker processes running now.</summary>
    public IReadOnlyList<int> WorkerProcessIds => _supervisor.ProcessIds;

    public LocalWorkerSupervisor Supervisor => _supervisor;

    IUnitSender IUnitBackend.Sender => Client;

    /// <inheritdoc/>
    public Exception? BrokenError => Engine.BrokenReason is { } broken ? new BrokenProcessPoolException(broken.Message) : null;

    /// <summary>None: the engine is in this process, and answers once the workers asked have (a frozen one is given up on within the heartbeat timeout).</summary>
    public TimeSpan WithdrawalLimit => Timeout.InfiniteTimeSpan;

    /// <inheritdoc/>
    public TimeProvider Time => Engine.Options.Time;

    /// <inheritdoc/>
    public void StopTakingSubmits() => Engine.CloseClient(Client.Session, cancelQueued: false);

    /// <inheritdoc/>
    public Task TeardownAsync() => ShutdownAsync();

    private string SocketPath => Path.Combine(_socketDirectory.Path, "coordinator.sock");

    public static PoolRuntime Start(ProcessPoolOptions options, int workers, FunctionRef? initializer, ILoggerFactory loggers)
    {
        var runtime = new PoolRuntime(options, workers, initializer, loggers);
        runtime.Started = Task.Run(runtime.StartAsync);
        return runtime;
    }

    /// <summary>
    /// Waits for every open item of the pool to be settled, then lets the workers drain and leave,
    /// and stops the service. The client must be closed first, so that no new work arrives.
    /// </summary>
    public async Task ShutdownAsync()
    {
        await Started.ConfigureAwait(false);
        Log.Teardown(_logger, "waiting for the pool's work to finish");
        await Engine.WhenIdleAsync(Client.Session).ConfigureAwait(false);
        Log.Teardown(_logger, "delivering the last outcomes");
        await Client.Units.DrainDeliveriesAsync().ConfigureAwait(false);
        Log.Teardown(_logger, "draining the workers");
        Engine.DrainAll();
        await _supervisor.StopAsync(s_drainGrace).ConfigureAwait(false);
        _watchdog?.Dispose();
        Log.Teardown(_logger, "stopping the service");
        if (_host is not null)
        {
            await _host.StopAsync().ConfigureAwait(false);
            await _host.DisposeAsync().ConfigureAwait(false);
        }

        _socketDirectory.Delete();
        Engine.Dispose();
        Log.Teardown(_logger, "done");
    }

    private async Task StartAsync()
    {
        try
        {
            _socketDirectory.Create();

            // Workers start while the service does (they wait for its socket), which saves the
            // service's start-up time from the time to the first result.
            _supervisor.Start();
            _watchdog = new EngineWatchdog(Engine, _logger);
            _host = await CoordinatorHost.StartEmbeddedAsync(Engine, SocketPath, Engine.Options.MaxMessageBytes, _loggers).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Whatever stops the service from starting breaks the pool, with the reason.
        catch (Exception error)
#pragma warning restore CA1031
        {
            Break($"The process pool could not start its coordinator service: {error.Message}");
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 30, Level = LogLevel.Debug, Message = "Pool teardown: {Step}")]
        public static partial void Teardown(ILogger logger, string step);
    }

    private void Break(string reason)
    {
        Engine.Break(new ErrorInfo { Kind = ErrorKind.Broken, Type = typeof(BrokenProcessPoolException).FullName, Message = reason });
        _supervisor.Kill();
    }
}
