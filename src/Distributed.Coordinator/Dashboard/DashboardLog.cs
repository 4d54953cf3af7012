using Microsoft.Extensions.Logging;

namespace Distributed.Coordinator.Dashboard;

internal static partial class DashboardLog
{
    [LoggerMessage(EventId = 70, Level = LogLevel.Warning, Message = "Dashboard refused {Path} from {Peer}: {Why}")]
    public static partial void Refused(ILogger logger, string peer, string path, string why);

    [LoggerMessage(EventId = 71, Level = LogLevel.Warning, Message = "Dashboard refused an event stream from {Peer}: {Open} are open, the most it serves at once")]
    public static partial void TooManyStreams(ILogger logger, string peer, int open);

    [LoggerMessage(EventId = 72, Level = LogLevel.Error, Message = "The dashboard could not take the coordinator's snapshot")]
    public static partial void SnapshotFailed(ILogger logger, Exception error);

    [LoggerMessage(EventId = 73, Level = LogLevel.Warning, Message = "Dashboard answered {Method} {Path} from {Peer} with {StatusCode}")]
    public static partial void NotServed(ILogger logger, string method, string path, string peer, int statusCode);

    [LoggerMessage(EventId = 74, Level = LogLevel.Debug, Message = "Dashboard event stream to {Peer} ended: {Why}")]
    public static partial void StreamEnded(ILogger logger, string peer, string why);
}
