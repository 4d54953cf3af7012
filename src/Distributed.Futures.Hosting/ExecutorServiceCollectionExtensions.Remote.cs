using Distributed.Futures.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Distributed.Futures;

/// <summary>
/// Registers the executors in a service collection, the Microsoft.Extensions way: settings bound
/// from configuration and validated when the host starts (an invalid value stops it with an
/// <see cref="OptionsValidationException"/> naming the key), the executor a singleton made on first
/// use and shut down, waiting for its work, when the container is disposed. One executor is the
/// app's <see cref="Executor"/>; several are told apart by name (keyed services).
/// </summary>
public static partial class ExecutorServiceCollectionExtensions
{
    /// <summary>
    /// Registers a <see cref="RemoteExecutor"/> as the app's <see cref="Executor"/> (and as itself),
    /// its <see cref="RemoteExecutorSettings"/> bound from <paramref name="configuration"/> (keys
    /// <c>Address</c>, <c>TokenFile</c>, <c>Token</c>, <c>ConnectionLossTimeout</c>, …) and validated
    /// when the host starts: a missing or malformed address, or a token file that cannot be read,
    /// stops the host. It connects at its first submit.
    /// </summary>
    /// <returns>The settings' builder, to set in code what configuration cannot (<c>ConfigureHttpHandler</c>, <c>TimeProvider</c>).</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static OptionsBuilder<RemoteExecutorSettings> AddRemoteExecutor(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return AddRemote(services, null, configuration, null);
    }

    /// <summary>Registers a <see cref="RemoteExecutor"/> as the app's <see cref="Executor"/>, its settings made in code and validated when the host starts.</summary>
    /// <inheritdoc cref="AddRemoteExecutor(IServiceCollection, IConfiguration)"/>
    public static OptionsBuilder<RemoteExecutorSettings> AddRemoteExecutor(this IServiceCollection services, Action<RemoteExecutorSettings> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return AddRemote(services, null, null, configure);
    }

    /// <summary>
    /// Registers a <see cref="RemoteExecutor"/> under <paramref name="name"/>: resolve it with
    /// <c>[FromKeyedServices("name")] Executor</c> or <c>GetRequiredKeyedService&lt;Executor&gt;("name")</c>.
    /// </summary>
    /// <inheritdoc cref="AddRemoteExecutor(IServiceCollection, IConfiguration)"/>
    public static OptionsBuilder<RemoteExecutorSettings> AddKeyedRemoteExecutor(this IServiceCollection services, string name, IConfiguration configuration)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(configuration);
        return AddRemote(services, name, configuration, null);
    }

    /// <summary>Registers a <see cref="RemoteExecutor"/> under <paramref name="name"/>, its settings made in code.</summary>
    /// <inheritdoc cref="AddKeyedRemoteExecutor(IServiceCollection, string, IConfiguration)"/>
    public static OptionsBuilder<RemoteExecutorSettings> AddKeyedRemoteExecutor(this IServiceCollection services, string name, Action<RemoteExecutorSettings> configure)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(configure);
        return AddRemote(services, name, null, configure);
    }

    private static OptionsBuilder<RemoteExecutorSettings> AddRemote(IServiceCollection services, string? name, IConfiguration? configuration, Action<RemoteExecutorSettings>? configure) =>
        ExecutorRegistration.Add(
            services,
            name,
            configuration,
            configure,
            static (settings, _) => new RemoteExecutor(settings.Address!, new RemoteExecutorOptions
            {
                Token = TokenFiles.Read(settings.TokenFile, settings.Token),
                MaxMessageBytes = settings.MaxMessageBytes,
                ConnectionLossTimeout = settings.ConnectionLossTimeout,
                CancelReplyTimeout = settings.CancelReplyTimeout,
                ConfigureHttpHandler = settings.ConfigureHttpHandler,
                TimeProvider = settings.TimeProvider,
            }),
            static (optionsName, keys) => new RemoteExecutorSettingsValidator(optionsName, keys));
}
