using Distributed.Protocol;
using Microsoft.Extensions.Options;

namespace Distributed.Futures.Hosting;

/// <summary>
/// What <see cref="RemoteExecutor"/>'s constructor would refuse, and a token file that cannot be
/// read, checked when the host starts: the executor itself connects only at its first submit,
/// too late to tell a deployment that its address is wrong.
/// </summary>
internal sealed class RemoteExecutorSettingsValidator(string optionsName, ConfigurationKeys keys) : IValidateOptions<RemoteExecutorSettings>
{
    public ValidateOptionsResult Validate(string? name, RemoteExecutorSettings options)
    {
        if (name != optionsName)
        {
            return ValidateOptionsResult.Skip;
        }

        var errors = new ValidationErrors(keys);
        if (string.IsNullOrWhiteSpace(options.Address))
        {
            errors.Add(nameof(options.Address), "is required: the coordinator's address, such as http://coordinator:5000");
        }
        else
        {
            try
            {
                CoordinatorAddress.Parse(options.Address);
            }
            catch (ArgumentException malformed)
            {
                errors.Add(nameof(options.Address), malformed.Message);
            }
        }

        if (options.TokenFile is { } file && TokenFiles.Problem(file) is { } problem)
        {
            errors.Add(nameof(options.TokenFile), problem);
        }

        errors.Check(
            options.MaxMessageBytes >= ProtocolInfo.MinMaxMessageBytes,
            nameof(options.MaxMessageBytes),
            $"must be at least {ProtocolInfo.MinMaxMessageBytes} (was {options.MaxMessageBytes})");
        errors.Check(options.ConnectionLossTimeout > TimeSpan.Zero, nameof(options.ConnectionLossTimeout), $"must be positive (was {options.ConnectionLossTimeout})");
        errors.Check(options.CancelReplyTimeout > TimeSpan.Zero, nameof(options.CancelReplyTimeout), $"must be positive (was {options.CancelReplyTimeout})");
        return errors.Result();
    }
}
