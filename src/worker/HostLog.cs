using Microsoft.Extensions.Logging;

namespace Distributed.WorkerHost;

internal static partial class HostLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Error, Message = "The worker cannot start: {Reason}")]
    public static partial void CannotStart(ILogger logger, string reason);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "{Signal}: draining (running calls finish, nothing new is taken); leaving at once after {Seconds} s or on a second signal")]
    public static partial void Draining(ILogger logger, System.Runtime.InteropServices.PosixSignal signal, double seconds);

    [LoggerMessage(EventId = 102, Level = LogLevel.Warning, Message = "{Signal} again: leaving at once; the coordinator runs what this worker still held elsewhere")]
    public static partial void LeavingAtOnce(ILogger logger, System.Runtime.InteropServices.PosixSignal signal);

    [LoggerMessage(EventId = 103, Level = LogLevel.Warning, Message = "The drain did not finish in time: left at once; the coordinator runs what this worker still held elsewhere")]
    public static partial void DrainTimedOut(ILogger logger);
}
