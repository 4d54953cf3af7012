using Distributed.Coordinator.Engine;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Distributed.Coordinator.Hosting;

/// <summary>A standalone coordinator's watchdog, running for as long as the host does (see <see cref="EngineWatchdog"/>).</summary>
internal sealed class HeartbeatMonitor(CoordinatorEngine engine, ILoggerFactory loggers) : IHostedService, IDisposable
{
    private EngineWatchdog? _watchdog;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _watchdog = new EngineWatchdog(engine, loggers.CreateLogger("Distributed.Coordinator"));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose() => _watchdog?.Dispose();
}
