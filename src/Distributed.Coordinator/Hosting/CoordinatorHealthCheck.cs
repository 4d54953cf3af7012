using Distributed.Coordinator.Engine;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Distributed.Coordinator.Hosting;

/// <summary>
/// The coordinator's health, as grpc.health.v1 reports it: not serving while the pool is broken,
/// or while tasks have waited for a worker with none connected, so that what a person or a probe
/// looks at shows the trouble the log reports.
/// </summary>
internal sealed class CoordinatorHealthCheck(CoordinatorEngine engine) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var (healthy, description) = engine.Health();
        return Task.FromResult(healthy ? HealthCheckResult.Healthy(description) : HealthCheckResult.Unhealthy(description));
    }
}
