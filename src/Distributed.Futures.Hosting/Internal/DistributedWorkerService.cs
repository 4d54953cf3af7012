using Distributed.Protocol;
using Distributed.Worker;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Distributed.Futures.Hosting;

/// <summary>
/// The worker as a hosted service. It runs from the host's start until the worker ends; when the
/// host stops (SIGTERM, Ctrl+C, <see cref="IHostApplicationLifetime.StopApplication"/>) the worker
/// asks its coordinator to drain it, finishes the calls it holds and sends their outcomes, while
/// the queued work goes to other workers; if the host's shutdown timeout runs out first, it leaves
/// at once and the coordinator runs what it still held elsewhere. A worker that ends on its own
/// (refused, connection lost without reconnecting) stops the host with the <c>worker</c>
/// executable's exit code, rather than leaving an app that looks alive and runs nothing.
/// </summary>
internal sealed class DistributedWorkerService(
    IOptions<DistributedWorkerSettings> settings,
    IHostApplicationLifetime lifetime,
    ILoggerFactory loggers) : BackgroundService
{
    // Canceled when the shutdown timeout runs out: ends the session without waiting for the drain.
    private readonly CancellationTokenSource _abort = new();
    private readonly ILogger _logger = loggers.CreateLogger("Distributed.Futures.Hosting.DistributedWorker");

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // The base class cancels the stopping token (which drains, see ExecuteAsync) and waits for
        // the run to end, or for this token: the host's shutdown timeout.
        using var abortAtTimeout = cancellationToken.Register(_abort.Cancel);
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    public override void Dispose()
    {
        _abort.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var options = settings.Value;
        string workerId = options.WorkerId ?? $"{Environment.MachineName}-{Environment.ProcessId}";
        WorkerRuntime runtime;
        try
        {
            runtime = new WorkerRuntime(ToWorkerOptions(options, workerId), loggers.CreateLogger("Distributed.Worker"));
        }
        catch (Exception error) when (error is ArgumentException or FunctionResolutionException or IOException)
        {
            End(WorkerRuntime.Outcome.Refused);
            HostingLog.CannotStart(_logger, workerId, error.Message, Environment.ExitCode);
            return;
        }

        WorkerRuntime.Outcome outcome;
        var drainOnStop = stoppingToken.Register(runtime.Drain);
        try
        {
            outcome = await runtime.RunAsync(_abort.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_abort.IsCancellationRequested)
        {
            HostingLog.AbortedOnStop(_logger, workerId);
            return;
        }
        finally
        {
            // Past this point the host stopping is not the worker's business any more.
            await drainOnStop.DisposeAsync().ConfigureAwait(false);
        }

        if (_abort.IsCancellationRequested)
        {
            HostingLog.AbortedOnStop(_logger, workerId);
        }
        else if (outcome == WorkerRuntime.Outcome.Drained && stoppingToken.IsCancellationRequested)
        {
            HostingLog.DrainedOnStop(_logger, workerId);
        }
        else if (outcome == WorkerRuntime.Outcome.Drained)
        {
            HostingLog.DrainedByCoordinator(_logger, workerId);
            lifetime.StopApplication();
        }
        else
        {
            End(outcome);
            HostingLog.WorkerEnded(_logger, workerId, Describe(outcome), Environment.ExitCode);
        }
    }

    /// <summary>The <c>worker</c> executable's options, built the way its command line builds them.</summary>
    private static WorkerOptions ToWorkerOptions(DistributedWorkerSettings options, string workerId) => new()
    {
        Coordinator = CoordinatorAddress.Parse(options.Coordinator!),
        WorkerId = workerId,
        Slots = options.Slots,
        Token = TokenFiles.Read(options.TokenFile, options.Token),
        TaskAssemblyPaths = [.. options.TaskAssemblyPaths],
        Reconnect = options.Reconnect,
        FirstConnectPatience = options.ConnectTimeout,
        MaxMessageBytes = options.MaxMessageBytes,
    };

    private static string Describe(WorkerRuntime.Outcome outcome) => outcome switch
    {
        WorkerRuntime.Outcome.Refused => "the coordinator refused it",
        WorkerRuntime.Outcome.ConnectionLost => "the connection to the coordinator was lost (or never made) and reconnecting is off",
        WorkerRuntime.Outcome.InitializerFailed => "the pool's initializer failed",
        _ => outcome.ToString(),
    };

    /// <summary>Stops the host with the worker executable's exit code for <paramref name="outcome"/>.</summary>
    private void End(WorkerRuntime.Outcome outcome)
    {
        Environment.ExitCode = (int)outcome;
        lifetime.StopApplication();
    }
}
