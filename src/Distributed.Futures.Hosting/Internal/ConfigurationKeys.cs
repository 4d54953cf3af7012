using Microsoft.Extensions.Configuration;

namespace Distributed.Futures.Hosting;

/// <summary>
/// Names a setting the way its user wrote it, so that a validation error points at the line to fix:
/// <c>Distributed:ProcessPool:MaxWorkers</c> for a value bound from configuration, or
/// <c>ProcessPoolOptions.MaxWorkers</c> for one set in code.
/// </summary>
internal sealed class ConfigurationKeys
{
    private readonly string _prefix;
    private readonly string _separator;

    private ConfigurationKeys(string prefix, string separator)
    {
        _prefix = prefix;
        _separator = separator;
    }

    /// <summary>Keys under <paramref name="configuration"/>'s path (a section), or bare names at the root.</summary>
    public static ConfigurationKeys Under(IConfiguration configuration) =>
        configuration is IConfigurationSection { Path: { Length: > 0 } path } ? new(path, ConfigurationPath.KeyDelimiter) : new(string.Empty, string.Empty);

    /// <summary>Keys of settings made in code, named after the type that holds them.</summary>
    public static ConfigurationKeys InCode<TOptions>() => new(typeof(TOptions).Name, ".");

    public string Of(string property) => _prefix + _separator + property;
}
