using Distributed.Futures.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Distributed.Futures;

public static partial class ExecutorServiceCollectionExtensions
{
    /// <summary>
    /// Registers a <see cref="ThreadPoolExecutor"/> as the app's <see cref="Executor"/> (and as
    /// itself), its <see cref="ThreadPoolSettings"/> bound from <paramref name="configuration"/>
    /// (keys <c>MaxWorkers</c>, <c>ThreadNamePrefix</c>) and validated when the host starts. Made on
    /// first use; shut down (waiting for its work) when the container is disposed.
    /// </summary>
    /// <returns>The settings' builder, to set in code what configuration cannot (<c>Initializer</c>).</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static OptionsBuilder<ThreadPoolSettings> AddThreadPoolExecutor(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return AddThreadPool(services, null, configuration, null);
    }

    /// <summary>Registers a <see cref="ThreadPoolExecutor"/> as the app's <see cref="Executor"/>, its settings made in code and validated when the host starts.</summary>
    /// <inheritdoc cref="AddThreadPoolExecutor(IServiceCollection, IConfiguration)"/>
    public static OptionsBuilder<ThreadPoolSettings> AddThreadPoolExecutor(this IServiceCollection services, Action<ThreadPoolSettings> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return AddThreadPool(services, null, null, configure);
    }

    /// <summary>
    /// Registers a <see cref="ThreadPoolExecutor"/> under <paramref name="name"/>: resolve it with
    /// <c>[FromKeyedServices("name")] Executor</c> or <c>GetRequiredKeyedService&lt;Executor&gt;("name")</c>.
    /// </summary>
    /// <inheritdoc cref="AddThreadPoolExecutor(IServiceCollection, IConfiguration)"/>
    public static OptionsBuilder<ThreadPoolSettings> AddKeyedThreadPoolExecutor(this IServiceCollection services, string name, IConfiguration configuration)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(configuration);
        return AddThreadPool(services, name, configuration, null);
    }

    /// <summary>Registers a <see cref="ThreadPoolExecutor"/> under <paramref name="name"/>, its settings made in code.</summary>
    /// <inheritdoc cref="AddKeyedThreadPoolExecutor(IServiceCollection, string, IConfiguration)"/>
    public static OptionsBuilder<ThreadPoolSettings> AddKeyedThreadPoolExecutor(this IServiceCollection services, string name, Action<ThreadPoolSettings> configure)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(configure);
        return AddThreadPool(services, name, null, configure);
    }

    private static OptionsBuilder<ThreadPoolSettings> AddThreadPool(IServiceCollection services, string? name, IConfiguration? configuration, Action<ThreadPoolSettings>? configure) =>
        ExecutorRegistration.Add(
            services,
            name,
            configuration,
            configure,
            static (settings, _) => new ThreadPoolExecutor(settings.MaxWorkers, settings.ThreadNamePrefix, settings.Initializer),
            static (optionsName, keys) => new ThreadPoolSettingsValidator(optionsName, keys));
}
