using Distributed.Coordinator.Engine;
using Microsoft.Extensions.Hosting;

namespace Distributed.Coordinator.Hosting;

/// <summary>Gives up on workers not heard from within the heartbeat timeout, at every heartbeat interval.</summary>
internal sealed class HeartbeatMonitor(CoordinatorEngine engine) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(engine.Options.HeartbeatInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                engine.CheckHeartbeats();
            }
        }
        catch (OperationCanceledException)
        {
            // The host is stopping.
        }
    }
}
