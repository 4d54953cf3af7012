using Distributed.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Distributed.Futures.Hosting.Tests;

public sealed class ExecutorHealthCheckTests
{
    [Fact]
    public async Task Healthy_ThenUnhealthy_AfterShutdown()
    {
        using var host = TestHosts.Build(new Dictionary<string, string?>(), (services, _) =>
        {
            services.AddThreadPoolExecutor(settings => settings.MaxWorkers = 1);
            services.AddHealthChecks().AddExecutorCheck();
        });
        var health = host.Services.GetRequiredService<HealthCheckService>();

        var before = await health.CheckHealthAsync().DefaultTimeout();
        Assert.Equal(HealthStatus.Healthy, before.Status);

        host.Services.GetRequiredService<Executor>().Shutdown();
        var after = await health.CheckHealthAsync().DefaultTimeout();
        Assert.Equal(HealthStatus.Unhealthy, after.Status);
        Assert.Contains("shut down", after.Entries["executor"].Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Broken_ReportsTheFailureStatus_WithTheReason()
    {
        using var host = TestHosts.Build(new Dictionary<string, string?>(), (services, _) =>
        {
            services.AddKeyedThreadPoolExecutor("doomed", settings => settings.Initializer = FailingInitializer);
            services.AddHealthChecks().AddExecutorCheck("doomed", failureStatus: HealthStatus.Degraded);
        });
        var pool = host.Services.GetRequiredKeyedService<Executor>("doomed");
        var future = pool.Submit(TestTasks.NoOp);
        Assert.IsType<BrokenThreadPoolException>(future.Exception(TestTimeouts.Default));

        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync().DefaultTimeout();
        var entry = report.Entries["executor:doomed"];
        Assert.Equal(HealthStatus.Degraded, entry.Status);
        Assert.Contains("the initializer refuses", entry.Description, StringComparison.Ordinal);
        Assert.IsType<BrokenThreadPoolException>(entry.Exception);
    }

    private static void FailingInitializer() => throw new InvalidOperationException("the initializer refuses");
}
