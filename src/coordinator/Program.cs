using System.CommandLine;
using Distributed.Coordinator.Engine;
using Distributed.Coordinator.Hosting;
using Distributed.CoordinatorHost;
using Distributed.Hosting;
using Distributed.Protocol;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

// The coordinator executable: the queue and the single source of truth for every task, serving
// clients (RemoteExecutor) and workers (local ones it starts, and remote ones that dial in).
// Exit codes: 0 stopped, 2 invalid options. `coordinator status` asks a running one (see StatusCommand).
var listen = new Option<string[]>("--listen")
{
    Description = "An address to listen on: http://host:port, https://host:port (needs --certificate) or unix:/path.sock; repeat for more. Without a token only loopback addresses are allowed. Default http://127.0.0.1:5000.",
    AllowMultipleArgumentsPerToken = true,
};
var workers = new Option<int>("--workers") { Description = "Local worker processes to start and supervise; 0 (the default) serves only remote workers." };
var workerSlots = new Option<int>("--worker-slots") { Description = "Calls each local worker runs at once (default 1).", DefaultValueFactory = _ => 1 };
var assemblies = new Option<string[]>("--assembly")
{
    Description = "A task assembly whose public static methods the local workers may run; repeat for more.",
    AllowMultipleArgumentsPerToken = true,
};
var tokenFile = new Option<FileInfo?>("--token-file")
{
    Description = $"A file holding the shared secret clients and workers must present. Without it the token is read from {TokenSource.EnvironmentVariable}, if set; never from the command line.",
};
var certificate = new Option<FileInfo?>("--certificate") { Description = "The TLS certificate (.pfx, or .pem with its key) for https:// addresses." };
var certificatePasswordFile = new Option<FileInfo?>("--certificate-password-file")
{
    Description = "A file holding the certificate's password, if it has one (or set DISTRIBUTED_CERTIFICATE_PASSWORD).",
};
var maxMessageBytes = new Option<int>("--max-message-bytes")
{
    Description = "The largest message accepted or sent, on every endpoint (default 64 MiB).",
    DefaultValueFactory = _ => ProtocolInfo.DefaultMaxMessageBytes,
};
var heartbeatInterval = new Option<double>("--heartbeat-interval") { Description = $"Seconds between an idle worker's heartbeats (default {EngineDefaults.HeartbeatInterval.TotalSeconds}).", DefaultValueFactory = _ => EngineDefaults.HeartbeatInterval.TotalSeconds };
var heartbeatTimeout = new Option<double>("--heartbeat-timeout")
{
    Description = $"Seconds without a word from a worker before it is taken for lost and its tasks run elsewhere (default {EngineDefaults.HeartbeatTimeout.TotalSeconds}).",
    DefaultValueFactory = _ => EngineDefaults.HeartbeatTimeout.TotalSeconds,
};
var maxRetries = new Option<int>("--max-retries") { Description = $"How many more times a task runs after its worker died (default {EngineDefaults.MaxRetries}).", DefaultValueFactory = _ => EngineDefaults.MaxRetries };
var clientTimeout = new Option<double>("--client-timeout")
{
    Description = $"Seconds a silent client or worker connection is given before it is taken for gone (default {EngineDefaults.ClientTimeout.TotalSeconds}).",
    DefaultValueFactory = _ => EngineDefaults.ClientTimeout.TotalSeconds,
};
var noWorkerTimeout = new Option<double>("--no-worker-timeout")
{
    Description = $"Seconds queued tasks wait while no worker at all is connected, before they fail with a clear error (default {EngineDefaults.NoWorkerTimeout.TotalSeconds}; 0 waits forever). Meanwhile the log, status and health say so.",
    DefaultValueFactory = _ => EngineDefaults.NoWorkerTimeout.TotalSeconds,
};
var metricsListen = new Option<string?>("--metrics-listen")
{
    Description = "Serve the Prometheus scrape endpoint (/metrics) on this address, http://ip:port (port 0 picks one). From other machines only with a token, which scrapes present as a bearer token.",
};
var healthListen = new Option<string?>("--health-listen")
{
    Description = "Serve only the gRPC health service (grpc.health.v1.Health, the same answers as on --listen) on this address, over plaintext HTTP/2 and without a token, for probes that cannot speak TLS (Kubernetes' gRPC probes): http://ip:port (port 0 picks one). Every other call there is refused. Without a token only loopback is allowed.",
};
var logFormat = new Option<LogFormat>("--log-format") { Description = ConsoleLogging.FormatDescription, DefaultValueFactory = _ => LogFormat.Simple };
var dashboardListen = new Option<string?>("--dashboard-listen")
{
    Description = "Serve a live dashboard (workers, queue, throughput, tasks, failures) on this address, apart from --listen: http://host:port or https://host:port (needs --certificate). Without a token only loopback is allowed; with one, open /?token=... once in the browser.",
};
var logLevel = new Option<LogLevel>("--log-level") { Description = "The least severe log level written (default Information).", DefaultValueFactory = _ => LogLevel.Information };

var root = new RootCommand("Distributed Futures coordinator: queues tasks from clients and runs them on workers.")
{
    listen, workers, workerSlots, assemblies, tokenFile, certificate, certificatePasswordFile,
    maxMessageBytes, heartbeatInterval, heartbeatTimeout, maxRetries, clientTimeout, noWorkerTimeout, metricsListen, healthListen, dashboardListen, logFormat, logLevel,
};
root.Subcommands.Add(StatusCommand.Create());
root.SetAction(async (parsed, cancellationToken) =>
{
    var options = new CoordinatorOptions
    {
        Workers = parsed.GetValue(workers),
        WorkerSlots = parsed.GetValue(workerSlots),
        Token = TokenSource.Read(parsed.GetValue(tokenFile)),
        CertificatePath = parsed.GetValue(certificate)?.FullName,
        CertificatePassword = ReadPassword(parsed.GetValue(certificatePasswordFile)),
        MaxMessageBytes = parsed.GetValue(maxMessageBytes),
        HeartbeatInterval = TimeSpan.FromSeconds(parsed.GetValue(heartbeatInterval)),
        HeartbeatTimeout = TimeSpan.FromSeconds(parsed.GetValue(heartbeatTimeout)),
        MaxRetries = parsed.GetValue(maxRetries),
        ClientTimeout = TimeSpan.FromSeconds(parsed.GetValue(clientTimeout)),
        NoWorkerTimeout = parsed.GetValue(noWorkerTimeout) == 0 ? Timeout.InfiniteTimeSpan : TimeSpan.FromSeconds(parsed.GetValue(noWorkerTimeout)),
        MetricsListen = parsed.GetValue(metricsListen),
        HealthListen = parsed.GetValue(healthListen),
        DashboardListen = parsed.GetValue(dashboardListen),
    };
    foreach (var address in parsed.GetValue(listen) is { Length: > 0 } given ? given : ["http://127.0.0.1:5000"])
    {
        options.Listen.Add(address);
    }

    foreach (var assembly in parsed.GetValue(assemblies) ?? [])
    {
        options.TaskAssemblies.Add(assembly);
    }

    WebApplication app;
    try
    {
        var level = parsed.GetValue(logLevel);

        // The web stack logs every request at Information: too much for an operator's console.
        var frameworkLevel = level < LogLevel.Information ? level : LogLevel.Warning;
        app = StandaloneCoordinator.Build(options, logging => logging
            .AddConsole(parsed.GetValue(logFormat))
            .SetMinimumLevel(level)
            .AddFilter("Microsoft.AspNetCore", frameworkLevel)
            .AddFilter("Grpc", frameworkLevel),
            builder => CoordinatorTelemetry.Add(builder, options));
        CoordinatorTelemetry.Map(app, options);
    }
    catch (OptionsValidationException invalid)
    {
        foreach (var failure in invalid.Failures)
        {
            Console.Error.WriteLine($"coordinator: {failure}");
        }

        return 2;
    }

    await using (app)
    {
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (IOException cannotListen)
        {
            // Kestrel's message names the address ("Failed to bind to address http://…: address
            // already in use."): that, not a stack trace, is what the person starting it needs.
            Console.Error.WriteLine($"coordinator: {cannotListen.Message}");
            return 2;
        }

        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("coordinator");
        var addresses = StandaloneCoordinator.Addresses(app);
        StartupLog.Listening(logger, addresses);
        if (StandaloneCoordinator.FaceAddress(app, CoordinatorFaces.Metrics) is { } metricsAddress)
        {
            StartupLog.ServingMetrics(logger, metricsAddress + "/metrics");
        }

        if (StandaloneCoordinator.FaceAddress(app, CoordinatorFaces.Health) is { } healthAddress)
        {
            StartupLog.ServingHealth(logger, healthAddress);
        }

        if (StandaloneCoordinator.DashboardAddress(app) is { } dashboard)
        {
            StartupLog.Dashboard(logger, dashboard);
        }

        if (options.Token is null)
        {
            StartupLog.NoToken(logger);
        }

        await app.WaitForShutdownAsync(cancellationToken);
    }

    return 0;
});

// Bad arguments exit with 2, never 1: to `coordinator status`, 1 means "not healthy".
var command = root.Parse(args);
if (command.Errors.Count > 0)
{
    foreach (var error in command.Errors)
    {
        Console.Error.WriteLine($"coordinator: {error.Message}");
    }

    return 2;
}

return await command.InvokeAsync();

static string? ReadPassword(FileInfo? file) =>
    file is not null ? File.ReadAllText(file.FullName).Trim() : Environment.GetEnvironmentVariable("DISTRIBUTED_CERTIFICATE_PASSWORD");
