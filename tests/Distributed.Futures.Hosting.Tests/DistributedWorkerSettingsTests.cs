using Distributed.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Distributed.Futures.Hosting.Tests;

public sealed class DistributedWorkerSettingsTests
{
    [Fact]
    public async Task MissingCoordinator_AndBadSlots_FailHostStart_NamingTheKeys()
    {
        using var host = TestHosts.Build(
            new Dictionary<string, string?> { ["Distributed:Worker:Slots"] = "0" },
            (services, configuration) => services.AddDistributedWorker(
                configuration.GetSection("Distributed:Worker"),
                settings => settings.AddTaskAssembly(typeof(DistributedWorkerSettingsTests).Assembly)));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync()).DefaultTimeout();
        Assert.Contains("Distributed:Worker:Coordinator", error.Message, StringComparison.Ordinal);
        Assert.Contains("Distributed:Worker:Slots", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoTaskAssembly_FailsHostStart()
    {
        using var host = TestHosts.Build(
            new Dictionary<string, string?> { ["Worker:Coordinator"] = "http://127.0.0.1:1" },
            (services, configuration) => services.AddDistributedWorker(configuration.GetSection("Worker")));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync()).DefaultTimeout();
        Assert.Contains("Worker:TaskAssemblyPaths", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Settings_FromConfiguration_KeepTheTaskAssembliesNamedInCode()
    {
        using var host = TestHosts.Build(
            new Dictionary<string, string?>
            {
                ["Worker:Coordinator"] = "http://coordinator:5000",
                ["Worker:Slots"] = "3",
                ["Worker:WorkerId"] = "app-1",
                ["Worker:Reconnect"] = "false",
            },
            (services, configuration) => services.AddDistributedWorker(
                configuration.GetSection("Worker"),
                settings => settings.AddTaskAssembly(typeof(DistributedWorkerSettingsTests).Assembly)));

        var settings = host.Services.GetRequiredService<IOptions<DistributedWorkerSettings>>().Value;
        Assert.Equal("http://coordinator:5000", settings.Coordinator);
        Assert.Equal(3, settings.Slots);
        Assert.Equal("app-1", settings.WorkerId);
        Assert.False(settings.Reconnect);
        Assert.Equal([typeof(DistributedWorkerSettingsTests).Assembly.Location], settings.TaskAssemblyPaths);
    }
}
