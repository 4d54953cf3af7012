using System.CommandLine;
using System.Runtime.InteropServices;
using Distributed.Hosting;
using Distributed.Protocol;
using Distributed.Worker;
using Distributed.WorkerHost;
using Microsoft.Extensions.Logging;

// The worker executable: dial a coordinator and run the calls it assigns.
// Exit codes: 0 drained (by the coordinator, or on SIGTERM), 1 connection lost (or left before a
// drain finished), 2 refused or bad arguments, 3 initializer failed.
var coordinator = new Option<string>("--coordinator")
{
    Description = "The coordinator to dial: http://host:port, https://host:port or unix:/path/to.sock.",
    Required = true,
};
var workerId = new Option<string?>("--worker-id") { Description = "This worker's name in the coordinator's status and logs (default: host-pid)." };
var slots = new Option<int>("--slots")
{
    Description = "How many calls to run at once (default: the processor count).",
    DefaultValueFactory = _ => Environment.ProcessorCount,
};
var assemblies = new Option<string[]>("--assembly")
{
    Description = "A task assembly whose public static methods this worker may run; repeat for more.",
    AllowMultipleArgumentsPerToken = true,
};
var tokenFile = new Option<FileInfo?>("--token-file")
{
    Description = "A file holding the shared secret. Without it the token is read from DISTRIBUTED_TOKEN, if set; never from the command line.",
};
var noReconnect = new Option<bool>("--no-reconnect") { Description = "Exit when the coordinator cannot be reached or goes away, instead of dialing again with backoff." };
var connectTimeout = new Option<double>("--connect-timeout")
{
    Description = "Seconds to keep trying to reach the coordinator the first time, even with --no-reconnect (default 0: one attempt).",
};
var maxMessageBytes = new Option<int>("--max-message-bytes")
{
    Description = "The largest message this worker takes or sends (default 64 MiB); a result that does not fit fails its own task with an error naming the limit.",
    DefaultValueFactory = _ => ProtocolInfo.DefaultMaxMessageBytes,
};
var logFormat = new Option<LogFormat>("--log-format") { Description = ConsoleLogging.FormatDescription, DefaultValueFactory = _ => LogFormat.Simple };
var logLevel = new Option<LogLevel>("--log-level") { Description = "The least severe log level written to standard error.", DefaultValueFactory = _ => LogLevel.Information };
var drainTimeout = new Option<double>("--drain-timeout")
{
    Description = "Seconds a SIGTERM or Ctrl+C gives the running calls to finish before the worker leaves at once (default 25, inside the 30 s grace of Kubernetes and docker-compose); a second signal leaves at once.",
    DefaultValueFactory = _ => 25,
};
drainTimeout.Validators.Add(result =>
{
    if (result.GetValueOrDefault<double>() is < 0 or double.NaN)
    {
        result.AddError("--drain-timeout must be a number of seconds, 0 or more.");
    }
});
var embedded = new Option<bool>("--embedded")
{
    Description = "Run as a local worker of an embedded process pool: load the pool's app assemblies, never reconnect.",
    Hidden = true,
};

var root = new RootCommand("Distributed Futures worker: runs the calls a coordinator assigns.")
{
    coordinator, workerId, slots, assemblies, tokenFile, noReconnect, connectTimeout, maxMessageBytes, drainTimeout, logFormat, logLevel, embedded,
};
root.SetAction(async (parsed, cancellationToken) =>
{
    // The log goes to standard error, all of it: standard output belongs to the tasks (what they
    // print reaches the pool's own console), and a supervisor reads a worker's standard error for
    // why it could not start.
    // Built on its first entry (see DeferredConsoleLog): nothing that can wait runs before registering.
    var format = parsed.GetValue(logFormat);
    var level = parsed.GetValue(embedded) ? LogLevel.Warning : parsed.GetValue(logLevel);
    using var logger = new DeferredConsoleLog(
        () => LoggerFactory.Create(logging => logging.AddConsole(format, toStandardError: true).SetMinimumLevel(level)),
        "worker",
        level);
    try
    {
        bool isEmbedded = parsed.GetValue(embedded);
        var options = new WorkerOptions
        {
            Coordinator = CoordinatorAddress.Parse(parsed.GetValue(coordinator)!),
            WorkerId = parsed.GetValue(workerId) ?? $"{Environment.MachineName}-{Environment.ProcessId}",
            Slots = parsed.GetValue(slots),
            Token = TokenSource.Read(parsed.GetValue(tokenFile)),
            TaskAssemblyPaths = parsed.GetValue(assemblies) ?? [],
            AcceptAssemblyPathsFromCoordinator = isEmbedded,
            Reconnect = !isEmbedded && !parsed.GetValue(noReconnect),
            MaxMessageBytes = parsed.GetValue(maxMessageBytes),

            // An embedded pool starts its workers while its service is still starting.
            FirstConnectPatience = isEmbedded ? TimeSpan.FromSeconds(30) : TimeSpan.FromSeconds(Math.Max(0, parsed.GetValue(connectTimeout))),
        };
        using var telemetry = WorkerTelemetry.StartIfRequested(options.WorkerId);
        var runtime = new WorkerRuntime(options, logger);
        if (isEmbedded)
        {
            // Its pool ends it (see below): no signal of its own drains it.
            return (int)await runtime.RunAsync(cancellationToken);
        }

        using var termination = new DrainOnTermination(runtime, TimeSpan.FromSeconds(parsed.GetValue(drainTimeout)), TimeProvider.System, logger);
        try
        {
            // Past the deadline the worker does not wait for calls that will not end (a call
            // cannot be stopped from outside): leaving means the process ends now.
            return (int)await runtime.RunAsync(termination.Abort).WaitAsync(termination.Abort);
        }
        catch (OperationCanceledException) when (termination.Abort.IsCancellationRequested)
        {
            // Left without finishing: the coordinator takes the worker for lost, as after a crash.
            return (int)WorkerRuntime.Outcome.ConnectionLost;
        }
    }
    catch (Exception error) when (error is ArgumentException or FunctionResolutionException or IOException)
    {
        HostLog.CannotStart(logger, error.Message);
        return (int)WorkerRuntime.Outcome.Refused;
    }
});

// Bad arguments exit like any other refusal to start (2), never with 1, which means the
// connection was lost: a supervisor must not take a worker that cannot start for one that will.
var command = root.Parse(args);
if (command.Errors.Count > 0)
{
    foreach (var error in command.Errors)
    {
        Console.Error.WriteLine($"worker: {error.Message}");
    }

    return (int)WorkerRuntime.Outcome.Refused;
}

// An embedded worker belongs to its pool, which ends it. A terminal's Ctrl+C goes to the whole
// foreground process group: it is for the program that owns the pool, which may cancel its tokens
// and go on, so the worker neither stops on it nor lets the runtime end it. A standalone worker
// drains on SIGTERM and Ctrl+C (DrainOnTermination), so the command line's own handling, which
// cancels the run and ends the process two seconds later, is off for both.
bool embeddedRun = command.GetValue(embedded);
using var keepRunningOnInterrupt = embeddedRun ? PosixSignalRegistration.Create(PosixSignal.SIGINT, signal => signal.Cancel = true) : null;
return await command.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
