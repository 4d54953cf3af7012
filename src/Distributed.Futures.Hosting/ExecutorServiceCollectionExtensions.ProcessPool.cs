using Distributed.Futures.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Distributed.Futures;

public static partial class ExecutorServiceCollectionExtensions
{
    /// <summary>
    /// Registers a <see cref="ProcessPoolExecutor"/> as the app's <see cref="Executor"/> (and as
    /// itself), its <see cref="ProcessPoolOptions"/> bound from <paramref name="configuration"/>
    /// (for example <c>configuration.GetSection("Distributed:ProcessPool")</c>, with keys
    /// <c>MaxWorkers</c>, <c>MaxTasksPerChild</c>, <c>MaxRetries</c>, <c>HeartbeatInterval</c>, …) and
    /// validated when the host starts. Made on first use; shut down (waiting for its work) when the
    /// container is disposed. Its diagnostics go to the app's <see cref="ILoggerFactory"/> unless the
    /// options name another.
    /// </summary>
    /// <returns>The options' builder, to set in code what configuration cannot (<c>Initializer</c>, <c>TimeProvider</c>).</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static OptionsBuilder<ProcessPoolOptions> AddProcessPoolExecutor(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return AddProcessPool(services, null, configuration, null);
    }

    /// <summary>Registers a <see cref="ProcessPoolExecutor"/> as the app's <see cref="Executor"/>, its options set in code and validated when the host starts.</summary>
    /// <inheritdoc cref="AddProcessPoolExecutor(IServiceCollection, IConfiguration)"/>
    public static OptionsBuilder<ProcessPoolOptions> AddProcessPoolExecutor(this IServiceCollection services, Action<ProcessPoolOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return AddProcessPool(services, null, null, configure);
    }

    /// <summary>
    /// Registers a <see cref="ProcessPoolExecutor"/> under <paramref name="name"/>, for apps with
    /// several executors: resolve it with <c>[FromKeyedServices("name")] Executor</c> or
    /// <c>GetRequiredKeyedService&lt;Executor&gt;("name")</c>. Otherwise as
    /// <see cref="AddProcessPoolExecutor(IServiceCollection, IConfiguration)"/>.
    /// </summary>
    /// <inheritdoc cref="AddProcessPoolExecutor(IServiceCollection, IConfiguration)"/>
    public static OptionsBuilder<ProcessPoolOptions> AddKeyedProcessPoolExecutor(this IServiceCollection services, string name, IConfiguration configuration)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(configuration);
        return AddProcessPool(services, name, configuration, null);
    }

    /// <summary>Registers a <see cref="ProcessPoolExecutor"/> under <paramref name="name"/>, its options set in code.</summary>
    /// <inheritdoc cref="AddKeyedProcessPoolExecutor(IServiceCollection, string, IConfiguration)"/>
    public static OptionsBuilder<ProcessPoolOptions> AddKeyedProcessPoolExecutor(this IServiceCollection services, string name, Action<ProcessPoolOptions> configure)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(configure);
        return AddProcessPool(services, name, null, configure);
    }

    private static OptionsBuilder<ProcessPoolOptions> AddProcessPool(IServiceCollection services, string? name, IConfiguration? configuration, Action<ProcessPoolOptions>? configure)
    {
        var builder = ExecutorRegistration.Add(
            services,
            name,
            configuration,
            configure,
            static (options, _) => new ProcessPoolExecutor(options),
            static (optionsName, keys) => new ProcessPoolOptionsValidator(optionsName, keys));
        return builder.PostConfigure<IServiceProvider>(static (options, provider) => options.LoggerFactory ??= provider.GetService<ILoggerFactory>());
    }
}
