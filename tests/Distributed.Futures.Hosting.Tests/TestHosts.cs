using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Distributed.Futures.Hosting.Tests;

/// <summary>A Generic Host over an in-memory configuration, as an app's appsettings.json would give it.</summary>
internal static class TestHosts
{
    public static IHost Build(IReadOnlyDictionary<string, string?> settings, Action<IServiceCollection, IConfiguration> register)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        register(builder.Services, builder.Configuration);
        return builder.Build();
    }
}
