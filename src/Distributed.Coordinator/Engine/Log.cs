using Microsoft.Extensions.Logging;

namespace Distributed.Coordinator.Engine;

internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Worker {WorkerId} ({Host}, pid {Pid}) registered with {Slots} slots")]
    public static partial void WorkerRegistered(ILogger logger, string workerId, string host, int pid, int slots);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Worker {WorkerId} lost: {Reason}; {Requeued} units go back to the queue")]
    public static partial void WorkerLost(ILogger logger, string workerId, string reason, int requeued);

    [LoggerMessage(EventId = 3, Level = LogLevel.Error, Message = "The pool is broken: {Reason}")]
    public static partial void PoolBroken(ILogger logger, string reason);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Worker {WorkerId} left")]
    public static partial void WorkerLeft(ILogger logger, string workerId);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "Rejected a unit from client {ClientId}: {Reason}")]
    public static partial void UnitRejected(ILogger logger, string clientId, string reason);
}
