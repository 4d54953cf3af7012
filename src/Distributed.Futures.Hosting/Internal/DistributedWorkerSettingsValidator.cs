using Distributed.Protocol;
using Microsoft.Extensions.Options;

namespace Distributed.Futures.Hosting;

/// <summary>
/// What the <c>worker</c> executable refuses at its command line (exit code 2), checked when the
/// host starts, each problem naming its key.
/// </summary>
internal sealed class DistributedWorkerSettingsValidator(ConfigurationKeys keys) : IValidateOptions<DistributedWorkerSettings>
{
    public ValidateOptionsResult Validate(string? name, DistributedWorkerSettings options)
    {
        if (name != Options.DefaultName)
        {
            return ValidateOptionsResult.Skip;
        }

        var errors = new ValidationErrors(keys);
        if (string.IsNullOrWhiteSpace(options.Coordinator))
        {
            errors.Add(nameof(options.Coordinator), "is required: the coordinator to dial, such as http://coordinator:5000");
        }
        else
        {
            try
            {
                CoordinatorAddress.Parse(options.Coordinator);
            }
            catch (ArgumentException malformed)
            {
                errors.Add(nameof(options.Coordinator), malformed.Message);
            }
        }

        errors.Check(options.WorkerId is null || options.WorkerId.Trim().Length > 0, nameof(options.WorkerId), "must not be blank");
        errors.Check(options.Slots >= 1, nameof(options.Slots), $"must be at least 1 (was {options.Slots})");
        errors.Check(options.ConnectTimeout >= TimeSpan.Zero, nameof(options.ConnectTimeout), $"must not be negative (was {options.ConnectTimeout})");
        errors.Check(
            options.MaxMessageBytes >= ProtocolInfo.MinMaxMessageBytes,
            nameof(options.MaxMessageBytes),
            $"must be at least {ProtocolInfo.MinMaxMessageBytes} (was {options.MaxMessageBytes})");
        if (options.TokenFile is { } file && TokenFiles.Problem(file) is { } problem)
        {
            errors.Add(nameof(options.TokenFile), problem);
        }

        errors.Check(options.TaskAssemblyPaths.Count > 0, nameof(options.TaskAssemblyPaths), "names no task assembly: a worker runs only the methods of those it is given (AddTaskAssembly)");
        foreach (var path in options.TaskAssemblyPaths.Where(path => !File.Exists(path)))
        {
            errors.Add(nameof(options.TaskAssemblyPaths), $"{path} does not exist");
        }

        return errors.Result();
    }
}
