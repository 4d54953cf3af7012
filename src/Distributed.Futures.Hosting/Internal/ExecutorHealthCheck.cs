using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Distributed.Futures.Hosting;

/// <summary>
/// Reports what an executor says of itself: healthy while it takes work; the registration's failure
/// status once it is broken (an initializer threw, a pool's workers cannot start, a remote
/// executor lost its coordinator) or shut down, since either way every submit now throws.
/// </summary>
/// <param name="services">Where the executor is registered; it is resolved at each check, so the check never makes it sooner than its first user would.</param>
/// <param name="executorName">The executor's key, or null for the unkeyed one.</param>
internal sealed class ExecutorHealthCheck(IServiceProvider services, string? executorName) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var executor = executorName is null ? services.GetRequiredService<Executor>() : services.GetRequiredKeyedService<Executor>(executorName);
        var data = new Dictionary<string, object> { ["executor"] = executor.GetType().Name };
        if (executorName is not null)
        {
            data["name"] = executorName;
        }

        var result = executor.BrokenError is { } broken
            ? new HealthCheckResult(context.Registration.FailureStatus, $"{Describe(executor)} is broken: {broken.Message}", broken, data)
            : executor.IsShutdown
                ? new HealthCheckResult(context.Registration.FailureStatus, $"{Describe(executor)} is shut down: it takes no more work", data: data)
                : HealthCheckResult.Healthy($"{Describe(executor)} takes work", data);
        return Task.FromResult(result);
    }

    private string Describe(Executor executor) => executorName is null ? executor.GetType().Name : $"{executor.GetType().Name} '{executorName}'";
}
