using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace Distributed.Coordinator.Hosting;

/// <summary>
/// Not serving once the coordinator is stopping: it takes no new work and its workers are leaving,
/// so a probe (or a load balancer) should send nothing more its way.
/// </summary>
internal sealed class AcceptingHealthCheck(IHostApplicationLifetime lifetime) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(lifetime.ApplicationStopping.IsCancellationRequested
            ? HealthCheckResult.Unhealthy("the coordinator is stopping")
            : HealthCheckResult.Healthy("accepting work"));
}
