using Distributed.Coordinator.Engine;
using Distributed.Coordinator.Hosting;
using Distributed.Protocol.V1;
using Distributed.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Distributed.Client.Tests;

/// <summary>
/// A real coordinator, in this process, on a free loopback port, with real local worker processes
/// that may run the test task assemblies. Stopped (and its workers with it) on dispose.
/// </summary>
internal sealed class TestCoordinator : IDisposable
{
    private readonly WebApplication _app;

    private TestCoordinator(WebApplication app, string address)
    {
        _app = app;
        Address = address;
    }

    public string Address { get; }

    public CoordinatorEngine Engine => _app.Services.GetRequiredService<CoordinatorEngine>();

    /// <summary>The path of the assembly holding the shared test tasks, for workers to load.</summary>
    public static string TestTasksAssembly => typeof(TestTasks).Assembly.Location;

    public static TestCoordinator Start(int workers, string? token = null, Action<CoordinatorOptions>? configure = null)
    {
        var options = new CoordinatorOptions { Workers = workers, Token = token };
        options.Listen.Add("http://127.0.0.1:0");
        if (workers > 0)
        {
            options.TaskAssemblies.Add(TestTasksAssembly);
        }

        configure?.Invoke(options);
        var app = StandaloneCoordinator.Build(options, logging => logging.SetMinimumLevel(LogLevel.Warning));
        app.StartAsync().Wait(TestTimeouts.Default);
        // The first address the coordinator bound: the loopback port, or the socket a test listed instead.
        string address = StandaloneCoordinator.Addresses(app)[0];
        return new TestCoordinator(app, address);
    }

    public StatusReply Status() => Engine.Status();

    /// <summary>Waits until the given number of workers have registered.</summary>
    public TestCoordinator WithWorkersReady(int count)
    {
        TestTimeouts.WaitUntil(() => Status().Workers.Count >= count, $"{count} workers registered");
        return this;
    }

    public void Dispose()
    {
        if (!_app.StopAsync().Wait(TestTimeouts.Default))
        {
            throw new TimeoutException("The test coordinator did not stop in time.");
        }

        _app.DisposeAsync().AsTask().Wait(TestTimeouts.Default);
    }
}
