using Distributed.Coordinator.Engine;
using Distributed.Coordinator.Services;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Distributed.Coordinator.Hosting;

/// <summary>Puts an engine's gRPC faces on Kestrel.</summary>
internal static class CoordinatorHost
{
    /// <summary>
    /// Starts the worker-facing service on a Unix domain socket, for an embedded pool's local
    /// workers. The builder is empty on purpose: nothing of the host app's configuration (its
    /// ASPNETCORE_* settings, appsettings files, logging) reaches the pool.
    /// </summary>
    public static async Task<WebApplication> StartEmbeddedAsync(
        CoordinatorEngine engine,
        string socketPath,
        int maxMessageBytes,
        ILoggerFactory loggers)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Services.AddSingleton(loggers);
        builder.Services.AddLogging();
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.ListenUnixSocket(socketPath, listen => listen.Protocols = HttpProtocols.Http2);
        });
        builder.Services.AddRoutingCore();
        builder.Services.AddSingleton(engine);
        builder.Services.AddGrpc(grpc =>
        {
            grpc.MaxReceiveMessageSize = maxMessageBytes;
            grpc.MaxSendMessageSize = maxMessageBytes;
        });

        var app = builder.Build();
        app.UseRouting();
        app.MapGrpcService<WorkerHubService>();
        await app.StartAsync().ConfigureAwait(false);
        return app;
    }
}
