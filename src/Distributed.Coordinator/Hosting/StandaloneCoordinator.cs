using System.Net;
using Distributed.Coordinator.Dashboard;
using Distributed.Coordinator.Engine;
using Distributed.Coordinator.Security;
using Distributed.Coordinator.Services;
using Distributed.Coordinator.Supervision;
using Distributed.Protocol;
using Distributed.Worker;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Distributed.Coordinator.Hosting;

/// <summary>
/// The coordinator as a service: both gRPC faces (workers and clients) on Kestrel, every endpoint
/// behind the token (if one is set) and the message size limit, health checks and reflection on,
/// and optionally local workers it starts and supervises. The <c>coordinator</c> executable and the
/// cluster tests run exactly this.
/// </summary>
internal static class StandaloneCoordinator
{
    // The health check that only says whether the coordinator is still taking work.
    private const string AcceptingCheck = "accepting";

    /// <summary>How often health is looked at for the Watch streams: a change reaches a watcher within it.</summary>
    public static readonly TimeSpan HealthWatchPeriod = TimeSpan.FromSeconds(1);

    /// <exception cref="OptionsValidationException">The options are invalid; the message lists every problem.</exception>
    /// <param name="options">What to listen on and how to run.</param>
    /// <param name="logging">Where the log goes; null: the console, one line per entry.</param>
    /// <param name="services">More services, such as the executable's OpenTelemetry exporters, which the library does not depend on.</param>
    public static WebApplication Build(CoordinatorOptions options, Action<ILoggingBuilder>? logging = null, Action<WebApplicationBuilder>? services = null)
    {
        var validation = new CoordinatorOptionsValidator().Validate(null, options);
        if (validation.Failed)
        {
            throw new OptionsValidationException(nameof(CoordinatorOptions), typeof(CoordinatorOptions), validation.Failures);
        }

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = "coordinator" });
        builder.Logging.ClearProviders();

        // The health checks run every second (for Watch), and the framework logs every unhealthy
        // result as an error: a coordinator waiting for workers would write one a second. Its own
        // log already says when tasks wait with no worker, and when that ends. The caller's
        // logging may still ask for these.
        builder.Logging.AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.Critical);
        if (logging is null)
        {
            builder.Logging.AddSimpleConsole(console => console.SingleLine = true);
        }
        else
        {
            logging(builder.Logging);
        }

        // Local workers dial a socket in a directory only this user can enter.
        PrivateSocketDirectory? localDirectory = null;
        if (options.Workers > 0)
        {
            localDirectory = new PrivateSocketDirectory("coordinator");
            localDirectory.Create();
        }

        string? localSocket = localDirectory is null ? null : Path.Combine(localDirectory.Path, "workers.sock");
        var faces = new HttpFaces();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            Listen(kestrel, options, localSocket);
            if (options.MetricsListen is { } metrics)
            {
                faces.Listen(kestrel, CoordinatorFaces.Metrics, metrics);
            }

            if (options.HealthListen is { } health)
            {
                faces.Listen(kestrel, CoordinatorFaces.Health, health, HttpProtocols.Http2);
            }
        });
        builder.Services.AddSingleton(faces);

        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(new CoordinatorSecret(options.Token));
        builder.Services.AddSingleton(services => new CoordinatorEngine(
            new EngineOptions
            {
                MaxRetries = options.MaxRetries,
                HeartbeatInterval = options.HeartbeatInterval,
                HeartbeatTimeout = options.HeartbeatTimeout,
                ClientTimeout = options.ClientTimeout,
                NoWorkerTimeout = options.NoWorkerTimeout,
                NoWorkerTimeoutSetting = "--no-worker-timeout",
                MaxMessageBytes = options.MaxMessageBytes,
                Time = options.Time,
                MeterFactory = services.GetService<System.Diagnostics.Metrics.IMeterFactory>(),
            },
            services.GetRequiredService<ILoggerFactory>().CreateLogger("Distributed.Coordinator")));
        builder.Services.AddGrpc(grpc =>
        {
            grpc.Interceptors.Add<TokenInterceptor>();
            grpc.MaxReceiveMessageSize = options.MaxMessageBytes;
            grpc.MaxSendMessageSize = options.MaxMessageBytes;
        });
        // Health answers each Check from the engine's state (not a cached poll). "" and the
        // ExecutorService are the whole coordinator: not serving while stopping, broken, or while
        // tasks wait with no worker connected. The WorkerHub is serving until the coordinator
        // stops, with or without workers: it is what a readiness probe asks, since a coordinator
        // kept out of its Service for having no workers could never get one.
        builder.Services.AddGrpcHealthChecks(health =>
            {
                health.UseHealthChecksCache = false;
                health.Services.Map(string.Empty, _ => true);
                health.Services.Map(Distributed.Protocol.V1.ExecutorService.Descriptor.FullName, _ => true);
                health.Services.Map(Distributed.Protocol.V1.WorkerHub.Descriptor.FullName, result => result.Name == AcceptingCheck);
            })
            .AddCheck<AcceptingHealthCheck>(AcceptingCheck)
            .AddCheck<CoordinatorHealthCheck>("workers");

        // Watch streams send what the health publisher last found, and it looks every 30 s by
        // default: a watcher would hear of a coordinator without workers half a minute late.
        // The checks read the engine's state and cost next to nothing, so look every second.
        builder.Services.Configure<HealthCheckPublisherOptions>(publisher =>
        {
            publisher.Delay = TimeSpan.Zero;
            publisher.Period = HealthWatchPeriod;
        });
        builder.Services.AddGrpcReflection();
        builder.Services.AddHostedService<HeartbeatMonitor>();
        DashboardHosting.Add(builder, options);
        if (localSocket is not null)
        {
            builder.Services.AddSingleton(services => NewSupervisor(options, localSocket, services.GetRequiredService<ILoggerFactory>()));
            builder.Services.AddHostedService<LocalWorkersService>();
        }

        services?.Invoke(builder);
        var app = builder.Build();
        HttpFaces.RequireToken(app, CoordinatorFaces.Metrics, options.Token, app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("coordinator"));
        HealthPort.ServeOnlyHealth(app);

        // The web server stops first and waits for open streams to end; the workers' and clients'
        // streams end only when told to. So when stopping begins: no new work, workers finish what
        // they have and leave (standalone ones to dial again later), and client streams end (ExecutorServiceImpl watches the same token).
        var engine = app.Services.GetRequiredService<CoordinatorEngine>();
        app.Lifetime.ApplicationStopping.Register(() =>
        {
            engine.StopAccepting(cancelQueued: false);
            engine.DrainAll(coordinatorStopping: true);
        });
        DashboardHosting.Use(app);
        app.MapGrpcService<WorkerHubService>();
        app.MapGrpcService<ExecutorServiceImpl>();
        app.MapGrpcHealthChecksService();
        app.MapGrpcReflectionService();
        if (localDirectory is not null)
        {
            app.Lifetime.ApplicationStopped.Register(localDirectory.Delete);
        }

        return app;
    }

    /// <summary>The addresses the started host really listens on (port 0 resolved), as clients spell them.</summary>
    /// <remarks>The plain-HTTP faces' listeners (metrics, health, dashboard) are not among them: see <see cref="FaceAddress"/> and <see cref="DashboardAddress"/>.</remarks>
    public static IReadOnlyList<string> Addresses(WebApplication app)
    {
        var faces = app.Services.GetRequiredService<HttpFaces>();
        string?[] others = [faces.AddressOf(CoordinatorFaces.Metrics), faces.AddressOf(CoordinatorFaces.Health), DashboardAddress(app)];
        return app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .Where(address => !others.Contains(address))
            .Select(address => address.StartsWith("http://unix:", StringComparison.Ordinal) ? $"unix:{address["http://unix:".Length..]}" : address)
            .ToList();
    }

    /// <summary>Where the started host serves a plain-HTTP face (port 0 resolved); null if it does not.</summary>
    public static string? FaceAddress(WebApplication app, string face) => app.Services.GetRequiredService<HttpFaces>().AddressOf(face);

    /// <summary>Where the started host serves the dashboard (port 0 resolved), or null when it serves none.</summary>
    public static string? DashboardAddress(WebApplication app) => DashboardHosting.Address(app.Services);

    private static void Listen(KestrelServerOptions kestrel, CoordinatorOptions options, string? localSocket)
    {
        kestrel.AddServerHeader = false;
        kestrel.Limits.MaxRequestBodySize = null;

        // Keep-alive pings find a client or worker that vanished without closing its connection.
        kestrel.Limits.Http2.KeepAlivePingDelay = options.ClientTimeout / 2;
        kestrel.Limits.Http2.KeepAlivePingTimeout = options.ClientTimeout / 2;
        foreach (var text in options.Listen)
        {
            var address = CoordinatorAddress.Parse(text);
            if (address.SocketPath is { } path)
            {
                StaleSocketFile.RemoveIfAbandoned(path, kestrel.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger("coordinator"));
                kestrel.ListenUnixSocket(path, listen => listen.Protocols = HttpProtocols.Http2);
                continue;
            }

            var uri = address.Uri!;
            Action<ListenOptions> configure = listen =>
            {
                listen.Protocols = HttpProtocols.Http2;
                if (uri.Scheme == Uri.UriSchemeHttps)
                {
                    listen.UseHttps(CoordinatorOptionsValidator.LoadCertificate(options));
                }
            };
            if (uri.Host is "localhost")
            {
                kestrel.ListenLocalhost(uri.Port, configure);
            }
            else if (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip))
            {
                kestrel.Listen(ip, uri.Port, configure);
            }
            else
            {
                kestrel.ListenAnyIP(uri.Port, configure);
            }
        }

        if (localSocket is not null)
        {
            kestrel.ListenUnixSocket(localSocket, listen => listen.Protocols = HttpProtocols.Http2);
        }
    }

    private static LocalWorkerSupervisor NewSupervisor(CoordinatorOptions options, string localSocket, ILoggerFactory loggers)
    {
        var arguments = new List<string> { "--no-reconnect", "--connect-timeout", "30", "--max-message-bytes", $"{options.MaxMessageBytes}" };
        foreach (var assembly in options.TaskAssemblies)
        {
            arguments.Add("--assembly");
            arguments.Add(Path.GetFullPath(assembly));
        }

        var settings = new SupervisorSettings(
            options.Workers,
            WorkerProgram.DefaultPath,
            $"unix:{localSocket}",
            $"{Environment.MachineName}-local",
            arguments,
            (int)WorkerRuntime.Outcome.InitializerFailed)
        {
            Slots = options.WorkerSlots,
            Time = options.Time,
            Environment = options.Token is { } token
                ? new Dictionary<string, string> { [TokenSource.EnvironmentVariable] = token }
                : new Dictionary<string, string>(),
        };
        return new LocalWorkerSupervisor(settings, loggers.CreateLogger("Distributed.Coordinator.Supervision"));
    }
}
