using Microsoft.Extensions.Options;

namespace Distributed.Futures.Hosting;

/// <summary>The thread pool constructor's rule, checked when the host starts.</summary>
internal sealed class ThreadPoolSettingsValidator(string optionsName, ConfigurationKeys keys) : IValidateOptions<ThreadPoolSettings>
{
    public ValidateOptionsResult Validate(string? name, ThreadPoolSettings options)
    {
        if (name != optionsName)
        {
            return ValidateOptionsResult.Skip;
        }

        var errors = new ValidationErrors(keys);
        errors.Check(options.MaxWorkers is null or > 0, nameof(options.MaxWorkers), $"must be greater than 0 (was {options.MaxWorkers})");
        return errors.Result();
    }
}
