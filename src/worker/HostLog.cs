using Microsoft.Extensions.Logging;

namespace Distributed.WorkerHost;

internal static partial class HostLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Error, Message = "The worker cannot start: {Reason}")]
    public static partial void CannotStart(ILogger logger, string reason);
}
