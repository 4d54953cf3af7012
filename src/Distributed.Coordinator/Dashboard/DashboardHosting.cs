using Distributed.Coordinator.Engine;
using Distributed.Coordinator.Hosting;
using Distributed.Coordinator.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Distributed.Coordinator.Dashboard;

/// <summary>Adds the dashboard to a standalone coordinator when <see cref="CoordinatorOptions.DashboardListen"/> asks for it.</summary>
internal static class DashboardHosting
{
    private const string LogCategory = "Distributed.Coordinator.Dashboard";

    /// <summary>Its endpoint and services; nothing without the option.</summary>
    public static void Add(WebApplicationBuilder builder, CoordinatorOptions options)
    {
        if (options.DashboardListen is not { } address)
        {
            return;
        }

        var endpoint = DashboardEndpoint.For(address);
        builder.WebHost.ConfigureKestrel(kestrel => endpoint.Listen(kestrel, options));
        builder.Services.AddSingleton(endpoint);
        builder.Services.AddSingleton(services => new DashboardFeed(
            services.GetRequiredService<CoordinatorEngine>(), options.Time, services.GetRequiredService<ILoggerFactory>().CreateLogger(LogCategory)));
        builder.Services.AddHostedService(services => services.GetRequiredService<DashboardFeed>());
        builder.Services.AddSingleton(services => new DashboardRequests(
            endpoint,
            new DashboardAccess(services.GetRequiredService<CoordinatorSecret>(), services.GetRequiredService<ILoggerFactory>().CreateLogger(LogCategory)),
            services.GetRequiredService<DashboardFeed>(),
            services.GetRequiredService<IHostApplicationLifetime>(),
            services.GetRequiredService<ILoggerFactory>().CreateLogger(LogCategory)));
    }

    /// <summary>Puts the dashboard in front of the gRPC endpoints: it answers its own endpoint's requests, and only those.</summary>
    public static void Use(WebApplication app)
    {
        if (app.Services.GetService<DashboardRequests>() is { } requests)
        {
            app.Use(requests.InvokeAsync);
        }
    }

    /// <summary>Where the started dashboard listens, or null without one.</summary>
    public static string? Address(IServiceProvider services) => services.GetService<DashboardEndpoint>()?.Address;
}
