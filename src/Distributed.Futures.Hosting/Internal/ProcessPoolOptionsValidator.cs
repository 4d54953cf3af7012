using Distributed.Protocol;
using Microsoft.Extensions.Options;

namespace Distributed.Futures.Hosting;

/// <summary>
/// The rules <see cref="ProcessPoolExecutor"/>'s constructor enforces, checked when the host starts
/// (so a bad value stops the app at once, naming its key) rather than at the first use.
/// </summary>
internal sealed class ProcessPoolOptionsValidator(string optionsName, ConfigurationKeys keys) : IValidateOptions<ProcessPoolOptions>
{
    public ValidateOptionsResult Validate(string? name, ProcessPoolOptions options)
    {
        if (name != optionsName)
        {
            return ValidateOptionsResult.Skip;
        }

        var errors = new ValidationErrors(keys);
        errors.Check(options.MaxWorkers is null or > 0, nameof(options.MaxWorkers), $"must be greater than 0 (was {options.MaxWorkers})");
        errors.Check(options.MaxTasksPerChild is null or > 0, nameof(options.MaxTasksPerChild), $"must be greater than 0 (was {options.MaxTasksPerChild})");
        errors.Check(options.MaxRetries >= 0, nameof(options.MaxRetries), $"must not be negative (was {options.MaxRetries})");
        errors.Check(options.HeartbeatInterval > TimeSpan.Zero, nameof(options.HeartbeatInterval), $"must be positive (was {options.HeartbeatInterval})");
        errors.Check(
            options.HeartbeatTimeout > options.HeartbeatInterval,
            nameof(options.HeartbeatTimeout),
            $"must be longer than HeartbeatInterval (was {options.HeartbeatTimeout}, the interval {options.HeartbeatInterval})");
        errors.Check(
            options.NoWorkerTimeout > TimeSpan.Zero || options.NoWorkerTimeout == Timeout.InfiniteTimeSpan,
            nameof(options.NoWorkerTimeout),
            $"must be positive, or infinite (-00:00:00.001) to wait forever (was {options.NoWorkerTimeout})");
        errors.Check(
            options.MaxMessageBytes >= ProtocolInfo.MinMaxMessageBytes,
            nameof(options.MaxMessageBytes),
            $"must be at least {ProtocolInfo.MinMaxMessageBytes} (was {options.MaxMessageBytes})");
        errors.Check(options.WorkerProgramPath is null || File.Exists(options.WorkerProgramPath), nameof(options.WorkerProgramPath), $"{options.WorkerProgramPath} does not exist");
        return errors.Result();
    }
}
