using Microsoft.Extensions.Logging;

namespace Distributed.Worker;

internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Worker {WorkerId} registered with {Coordinator} ({Slots} slots)")]
    public static partial void Registered(ILogger logger, string workerId, string coordinator, int slots);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Cannot reach the coordinator at {Coordinator}: {Reason}; trying again in {Delay}")]
    public static partial void Unreachable(ILogger logger, string coordinator, string reason, TimeSpan delay);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Lost the connection to {Coordinator}: {Reason}")]
    public static partial void ConnectionLost(ILogger logger, string coordinator, string reason);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Worker {WorkerId} drained by the coordinator")]
    public static partial void Drained(ILogger logger, string workerId);

    [LoggerMessage(EventId = 5, Level = LogLevel.Error, Message = "The initializer failed on worker {WorkerId}")]
    public static partial void InitializerFailed(ILogger logger, string workerId, Exception error);

    [LoggerMessage(EventId = 7, Level = LogLevel.Information, Message = "The coordinator at {Coordinator} is stopping: worker {WorkerId} finished its calls and will dial again")]
    public static partial void CoordinatorStopping(ILogger logger, string coordinator, string workerId);

    [LoggerMessage(EventId = 8, Level = LogLevel.Warning, Message = "Worker {WorkerId} is ending itself to stop task {Index} of unit {UnitId}, which ran past its timeout and grace: {Reason}")]
    public static partial void Recycling(ILogger logger, string workerId, ulong unitId, int index, string reason);

    [LoggerMessage(EventId = 9, Level = LogLevel.Information, Message = "Worker {WorkerId} is leaving: it asked the coordinator to drain it, and finishes what it holds")]
    public static partial void Leaving(ILogger logger, string workerId);

    [LoggerMessage(EventId = 6, Level = LogLevel.Error, Message = "The coordinator at {Coordinator} refused worker {WorkerId}: {Reason}")]
    public static partial void Refused(ILogger logger, string coordinator, string workerId, string reason);
}
