using Microsoft.Extensions.Logging;

namespace Distributed.Futures.Hosting;

internal static partial class HostingLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Worker {WorkerId} drained and left its coordinator as the host stops")]
    public static partial void DrainedOnStop(ILogger logger, string workerId);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Worker {WorkerId} was still finishing its calls when the host's shutdown timeout ran out: it left at once, and the coordinator runs what it held elsewhere")]
    public static partial void AbortedOnStop(ILogger logger, string workerId);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Worker {WorkerId} was drained by its coordinator: stopping the host")]
    public static partial void DrainedByCoordinator(ILogger logger, string workerId);

    [LoggerMessage(EventId = 4, Level = LogLevel.Error, Message = "Worker {WorkerId} stopped: {Outcome}. Stopping the host with exit code {ExitCode}")]
    public static partial void WorkerEnded(ILogger logger, string workerId, string outcome, int exitCode);

    [LoggerMessage(EventId = 5, Level = LogLevel.Error, Message = "Worker {WorkerId} cannot start: {Reason}. Stopping the host with exit code {ExitCode}")]
    public static partial void CannotStart(ILogger logger, string workerId, string reason, int exitCode);
}
