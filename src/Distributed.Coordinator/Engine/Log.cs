using Microsoft.Extensions.Logging;

namespace Distributed.Coordinator.Engine;

internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Worker {WorkerId} ({Host}, pid {Pid}) registered with {Slots} slots; task assemblies: {Assemblies}")]
    public static partial void WorkerRegistered(ILogger logger, string workerId, string host, int pid, int slots, string assemblies);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Worker {WorkerId} (pid {Pid}) lost: {Reason}; {Requeued} units go back to the queue")]
    public static partial void WorkerLost(ILogger logger, string workerId, int pid, string reason, int requeued);

    [LoggerMessage(EventId = 3, Level = LogLevel.Error, Message = "The pool is broken: {Reason}")]
    public static partial void PoolBroken(ILogger logger, string reason);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Worker {WorkerId} left")]
    public static partial void WorkerLeft(ILogger logger, string workerId);

    [LoggerMessage(EventId = 16, Level = LogLevel.Information, Message = "Worker {WorkerId} is leaving: drained at its own request, it finishes what it holds")]
    public static partial void WorkerLeaving(ILogger logger, string workerId);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "Rejected unit {UnitId} from client {ClientId}: {Reason}")]
    public static partial void UnitRejected(ILogger logger, string clientId, ulong unitId, string reason);

    [LoggerMessage(EventId = 11, Level = LogLevel.Warning, Message = "Task {Index} of unit {UnitId} from client {ClientId} ({Function}) failed: its worker died on each of its {Attempts} attempts, the last {WorkerId}")]
    public static partial void TaskLost(ILogger logger, string clientId, ulong unitId, uint index, string function, int attempts, string workerId);

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning, Message = "No worker is connected: {Items} queued tasks have waited {Seconds:F1} s, and {Until}. Last sign of a worker: {Trouble}")]
    public static partial void NoWorkers(ILogger logger, int items, double seconds, string until, string trouble);

    [LoggerMessage(EventId = 7, Level = LogLevel.Information, Message = "Workers are back ({Workers}); {Items} queued tasks run now")]
    public static partial void WorkersBack(ILogger logger, int workers, int items);

    [LoggerMessage(EventId = 8, Level = LogLevel.Error, Message = "{Items} queued tasks failed: no worker was connected for {Seconds:F1} s ({Setting})")]
    public static partial void NoWorkerTimeout(ILogger logger, int items, double seconds, string setting);

    [LoggerMessage(EventId = 9, Level = LogLevel.Warning, Message = "The coordinator did not run for {Seconds:F1} s (stopped, or starved of CPU); the silence of its workers and clients over that time is not held against them")]
    public static partial void CoordinatorDidNotRun(ILogger logger, double seconds);
}
