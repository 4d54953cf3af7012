using Distributed.Futures.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Distributed.Futures;

/// <summary>Hosts a worker in the app's own Generic Host, so a team's worker image is its own app.</summary>
public static class DistributedWorkerServiceCollectionExtensions
{
    /// <summary>
    /// Adds a worker that dials the coordinator when the host starts and runs the calls it assigns,
    /// from the task assemblies the settings list (usually the app's own:
    /// <c>settings => settings.AddTaskAssembly(typeof(MyTasks).Assembly)</c>). Its settings are
    /// bound from <paramref name="configuration"/> (for example the section <c>Distributed:Worker</c>,
    /// with keys <c>Coordinator</c>, <c>Slots</c>, <c>WorkerId</c>, <c>TokenFile</c>, …), then
    /// <paramref name="configure"/> runs, and they are validated when the host starts.
    /// </summary>
    /// <remarks>
    /// When the host stops (SIGTERM in a container) the worker drains: it is given nothing more,
    /// finishes the calls it holds and sends their outcomes, and the queued work goes to other
    /// workers, all within the host's shutdown timeout (<c>HostOptions.ShutdownTimeout</c>, which
    /// should exceed the longest call); past it the worker leaves at once and the coordinator runs
    /// what it still held elsewhere. A worker that ends on its own stops the host: exit code 2 when
    /// refused (a wrong token), 1 when the connection is lost with <c>Reconnect</c> off, 0 when its
    /// coordinator drained it.
    /// </remarks>
    /// <param name="services">The app's services.</param>
    /// <param name="configuration">The section to bind the settings from.</param>
    /// <param name="configure">Settings made in code, after the binding: the task assemblies, at least.</param>
    /// <returns>The settings' builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="configuration"/> is null.</exception>
    public static OptionsBuilder<DistributedWorkerSettings> AddDistributedWorker(
        this IServiceCollection services,
        IConfiguration configuration,
        Action<DistributedWorkerSettings>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return Add(services, configuration, configure);
    }

    /// <summary>Adds a worker whose settings are all made in code; otherwise as <see cref="AddDistributedWorker(IServiceCollection, IConfiguration, Action{DistributedWorkerSettings}?)"/>.</summary>
    /// <param name="services">The app's services.</param>
    /// <param name="configure">The settings: the coordinator and the task assemblies, at least.</param>
    /// <returns>The settings' builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="configure"/> is null.</exception>
    public static OptionsBuilder<DistributedWorkerSettings> AddDistributedWorker(this IServiceCollection services, Action<DistributedWorkerSettings> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return Add(services, null, configure);
    }

    private static OptionsBuilder<DistributedWorkerSettings> Add(IServiceCollection services, IConfiguration? configuration, Action<DistributedWorkerSettings>? configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        var builder = services.AddOptions<DistributedWorkerSettings>();
        var keys = ConfigurationKeys.InCode<DistributedWorkerSettings>();
        if (configuration is not null)
        {
            builder.Bind(configuration);
            keys = ConfigurationKeys.Under(configuration);
        }

        if (configure is not null)
        {
            builder.Configure(configure);
        }

        services.AddSingleton<IValidateOptions<DistributedWorkerSettings>>(new DistributedWorkerSettingsValidator(keys));
        builder.ValidateOnStart();
        services.AddHostedService<DistributedWorkerService>();
        return builder;
    }
}
