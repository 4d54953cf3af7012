using Distributed.Coordinator.Engine;
using Distributed.Coordinator.Supervision;
using Microsoft.Extensions.Hosting;

namespace Distributed.Coordinator.Hosting;

/// <summary>
/// A standalone coordinator's local workers (<c>--workers N</c>): started with the host, restarted
/// when they exit, drained and stopped with it.
/// </summary>
internal sealed class LocalWorkersService(LocalWorkerSupervisor supervisor, CoordinatorEngine engine) : IHostedService
{
    private static readonly TimeSpan s_drainGrace = TimeSpan.FromSeconds(10);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        engine.WorkerRegistered += worker => supervisor.OnRegistered(worker.Pid);
        engine.WorkerLost += (worker, _) => supervisor.OnLost(worker.Pid);
        supervisor.Start();
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        engine.DrainAll();
        await supervisor.StopAsync(s_drainGrace).ConfigureAwait(false);
    }
}
