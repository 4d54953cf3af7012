using Distributed.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Distributed.Futures.Hosting.Tests;

public sealed class ExecutorRegistrationTests
{
    [Fact]
    public async Task ProcessPool_OptionsFromConfiguration_ReachTheExecutor()
    {
        using var host = TestHosts.Build(
            new Dictionary<string, string?> { ["Distributed:ProcessPool:MaxWorkers"] = "3", ["Distributed:ProcessPool:MaxRetries"] = "5" },
            (services, configuration) => services.AddProcessPoolExecutor(configuration.GetSection("Distributed:ProcessPool")));
        await host.StartAsync().DefaultTimeout();

        var pool = Assert.IsType<ProcessPoolExecutor>(host.Services.GetRequiredService<Executor>());
        Assert.Equal(3, pool.MaxWorkers);
        Assert.Same(pool, host.Services.GetRequiredService<ProcessPoolExecutor>());
        Assert.Equal(5, host.Services.GetRequiredService<IOptionsMonitor<ProcessPoolOptions>>().Get(Options.DefaultName).MaxRetries);
        await host.StopAsync().DefaultTimeout();
    }

    [Fact]
    public async Task ThreadPool_ActionOverload_AppliesAfterConfiguration_AndRunsTasks()
    {
        using var host = TestHosts.Build(
            new Dictionary<string, string?> { ["Pool:MaxWorkers"] = "2", ["Pool:ThreadNamePrefix"] = "configured" },
            (services, configuration) => services.AddThreadPoolExecutor(configuration.GetSection("Pool")).Configure(settings => settings.MaxWorkers = 4));
        await host.StartAsync().DefaultTimeout();

        var pool = Assert.IsType<ThreadPoolExecutor>(host.Services.GetRequiredService<Executor>());
        Assert.Equal(4, pool.MaxWorkers);
        Assert.Equal("configured_0", pool.Submit(TestTasks.CurrentThreadName).Result(TestTimeouts.Default));
        await host.StopAsync().DefaultTimeout();
    }

    [Fact]
    public async Task InvalidMaxWorkers_FailsHostStart_NamingTheKey()
    {
        using var host = TestHosts.Build(
            new Dictionary<string, string?> { ["Distributed:ProcessPool:MaxWorkers"] = "0" },
            (services, configuration) => services.AddProcessPoolExecutor(configuration.GetSection("Distributed:ProcessPool")));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync()).DefaultTimeout();
        Assert.Contains("Distributed:ProcessPool:MaxWorkers", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MalformedRemoteAddress_FailsHostStart_NamingTheKey()
    {
        using var host = TestHosts.Build(
            new Dictionary<string, string?> { ["Distributed:Remote:Address"] = "ftp://coordinator:5000" },
            (services, configuration) => services.AddRemoteExecutor(configuration.GetSection("Distributed:Remote")));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync()).DefaultTimeout();
        Assert.Contains("Distributed:Remote:Address", error.Message, StringComparison.Ordinal);
        Assert.Contains("ftp://coordinator:5000", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvalidSettingMadeInCode_FailsHostStart_NamingTheSetting()
    {
        using var host = TestHosts.Build(new Dictionary<string, string?>(), (services, _) => services.AddThreadPoolExecutor(settings => settings.MaxWorkers = -1));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync()).DefaultTimeout();
        Assert.Contains("ThreadPoolSettings.MaxWorkers", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keyed_TwoExecutors_AreToldApartByName()
    {
        using var host = TestHosts.Build(
            new Dictionary<string, string?>
            {
                ["Executors:Fast:MaxWorkers"] = "2",
                ["Executors:Cluster:Address"] = "http://127.0.0.1:1",
            },
            (services, configuration) =>
            {
                services.AddKeyedThreadPoolExecutor("fast", configuration.GetSection("Executors:Fast"));
                services.AddKeyedRemoteExecutor("cluster", configuration.GetSection("Executors:Cluster"));
                services.AddSingleton<KeyedConsumer>();
            });
        await host.StartAsync().DefaultTimeout();

        var fast = Assert.IsType<ThreadPoolExecutor>(host.Services.GetRequiredKeyedService<Executor>("fast"));
        var cluster = Assert.IsType<RemoteExecutor>(host.Services.GetRequiredKeyedService<Executor>("cluster"));
        Assert.Equal(2, fast.MaxWorkers);
        Assert.Equal("http://127.0.0.1:1", cluster.Address);
        var consumer = host.Services.GetRequiredService<KeyedConsumer>();
        Assert.Same(fast, consumer.Fast);
        Assert.Same(cluster, consumer.Cluster);
        Assert.Null(host.Services.GetService<Executor>());
        await host.StopAsync().DefaultTimeout();
    }

    [Fact]
    public async Task HostStopped_ShutsTheExecutorDown_AfterItsWorkIsDone()
    {
        var host = TestHosts.Build(new Dictionary<string, string?>(), (services, _) => services.AddThreadPoolExecutor(settings => settings.MaxWorkers = 1));
        await host.StartAsync().DefaultTimeout();
        var pool = host.Services.GetRequiredService<Executor>();
        using var gate = new TaskGate();
        var running = pool.Submit(TestTasks.PassGate, gate.Port, 7);
        gate.WaitForArrivals(1);

        await host.StopAsync().DefaultTimeout();
        var disposing = ((IAsyncDisposable)host).DisposeAsync().AsTask();
        TestTimeouts.WaitUntil(() => pool.IsShutdown, "the container began the executor's shutdown");
        Assert.False(running.IsDone);
        gate.Open();
        await disposing.DefaultTimeout();

        // Shutdown(wait: true): the dispose returned only once the running task had finished.
        Assert.True(running.IsDone);
        Assert.Equal(7, running.Result(TimeSpan.Zero));
        Assert.Throws<InvalidOperationException>(() => pool.Submit(TestTasks.NoOp));
    }

    private sealed class KeyedConsumer([FromKeyedServices("fast")] Executor fast, [FromKeyedServices("cluster")] Executor cluster)
    {
        public Executor Fast { get; } = fast;

        public Executor Cluster { get; } = cluster;
    }
}
