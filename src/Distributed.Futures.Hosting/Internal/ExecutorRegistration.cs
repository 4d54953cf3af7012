using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Distributed.Futures.Hosting;

/// <summary>
/// What registering any executor does: its settings as named options (bound, configured, validated
/// at start), and the executor as a singleton the container creates on first use and disposes
/// with itself, under its concrete type and as <see cref="Executor"/>, keyed by name or not.
/// </summary>
internal static class ExecutorRegistration
{
    /// <param name="services">Where to register.</param>
    /// <param name="key">The service key and options name; null for the unkeyed executor.</param>
    /// <param name="configuration">The section to bind the settings from, or null.</param>
    /// <param name="configure">Settings made in code, applied after the binding, or null.</param>
    /// <param name="create">Makes the executor from its settings.</param>
    /// <param name="validator">Makes the start-time validator for the options name and the keys to name in its errors.</param>
    public static OptionsBuilder<TSettings> Add<TSettings, TExecutor>(
        IServiceCollection services,
        string? key,
        IConfiguration? configuration,
        Action<TSettings>? configure,
        Func<TSettings, IServiceProvider, TExecutor> create,
        Func<string, ConfigurationKeys, IValidateOptions<TSettings>> validator)
        where TSettings : class
        where TExecutor : Executor
    {
        ArgumentNullException.ThrowIfNull(services);
        string name = key ?? Options.DefaultName;
        var builder = services.AddOptions<TSettings>(name);
        var keys = ConfigurationKeys.InCode<TSettings>();
        if (configuration is not null)
        {
            builder.Bind(configuration);
            keys = ConfigurationKeys.Under(configuration);
        }

        if (configure is not null)
        {
            builder.Configure(configure);
        }

        services.AddSingleton(validator(name, keys));
        builder.ValidateOnStart();

        // Read once, when the executor is made: a running pool does not change shape on a reload.
        TExecutor Create(IServiceProvider provider) => create(provider.GetRequiredService<IOptionsMonitor<TSettings>>().Get(name), provider);

        // Both registrations hand out the one instance; the container disposes it (Shutdown(wait:
        // true) through DisposeAsync, which blocks no thread) once it is itself disposed, after
        // every hosted service has stopped, so services still using the executor as they stop can.
        if (key is null)
        {
            services.AddSingleton(Create);
            services.AddSingleton<Executor>(provider => provider.GetRequiredService<TExecutor>());
        }
        else
        {
            services.AddKeyedSingleton(key, (provider, _) => Create(provider));
            services.AddKeyedSingleton<Executor>(key, (provider, serviceKey) => provider.GetRequiredKeyedService<TExecutor>(serviceKey));
        }

        return builder;
    }
}
