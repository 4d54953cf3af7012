using Distributed.Futures.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Distributed.Futures;

/// <summary>Health checks over the executors registered in the service collection.</summary>
public static class ExecutorHealthChecksBuilderExtensions
{
    /// <summary>
    /// Adds a check of a registered executor: healthy while it takes work; <paramref name="failureStatus"/>
    /// (default <see cref="HealthStatus.Unhealthy"/>) once it is broken, with the reason (a remote
    /// executor whose coordinator went away, a pool whose workers cannot start, an initializer that
    /// threw), or shut down.
    /// </summary>
    /// <param name="builder">The app's health checks.</param>
    /// <param name="executorName">The key the executor was registered under (<c>AddKeyed…Executor</c>), or null for the app's <see cref="Executor"/>.</param>
    /// <param name="name">The check's name; default <c>executor</c>, or <c>executor:{executorName}</c>.</param>
    /// <param name="failureStatus">What a broken or shut-down executor reports; default <see cref="HealthStatus.Unhealthy"/>.</param>
    /// <param name="tags">Tags to filter checks by (for example <c>ready</c> for a readiness probe).</param>
    /// <returns>The builder, for more checks.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    public static IHealthChecksBuilder AddExecutorCheck(
        this IHealthChecksBuilder builder,
        string? executorName = null,
        string? name = null,
        HealthStatus? failureStatus = null,
        IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Add(new HealthCheckRegistration(
            name ?? (executorName is null ? "executor" : $"executor:{executorName}"),
            services => new ExecutorHealthCheck(services, executorName),
            failureStatus,
            tags));
    }
}
