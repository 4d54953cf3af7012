using Distributed.Coordinator.Engine;
using Distributed.Coordinator.Supervision;
using Distributed.Protocol.V1;
using Microsoft.Extensions.Hosting;

namespace Distributed.Coordinator.Hosting;

/// <summary>
/// A standalone coordinator's local workers (<c>--workers N</c>): started with the host, replaced
/// when they exit, drained and stopped with it. If they cannot start at all, the pool is broken
/// and every client is told.
/// </summary>
internal sealed class LocalWorkersService(LocalWorkerSupervisor supervisor, CoordinatorEngine engine) : IHostedService
{
    private static readonly TimeSpan s_drainGrace = TimeSpan.FromSeconds(10);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        supervisor.Attach(engine);
        supervisor.CannotStartWorkers += reason => engine.Break(new ErrorInfo
        {
            Kind = ErrorKind.Broken,
            Type = "Distributed.Futures.BrokenExecutorException",
            Message = $"The coordinator cannot start its local worker processes: {reason}.",
        });
        supervisor.Start();
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        engine.DrainAll();
        await supervisor.StopAsync(s_drainGrace).ConfigureAwait(false);
    }
}
