using Distributed.Worker;

namespace Distributed.Coordinator.Supervision;

/// <summary>
/// What a worker process's exit says about the pool. A worker that was killed (a signal, before
/// or after it registered) is churn, however often it happens: it is replaced. Only evidence that
/// workers cannot start at all counts against the pool: the initializer failed, the program gave
/// up on its own before registering (bad arguments, a task assembly it cannot load), or the
/// runtime or host refused to run it and said why on standard error. A count of exits alone is
/// never evidence: a kill loop looks the same.
/// </summary>
internal enum WorkerExitKind
{
    /// <summary>Replace it.</summary>
    Churn,

    /// <summary>It could not start; after a few of these in a row, workers cannot start here.</summary>
    StartFailure,

    /// <summary>The pool's initializer failed: starting more would fail the same way.</summary>
    InitializerFailed,
}

/// <summary>The verdict on one exit, and the evidence in words.</summary>
internal readonly record struct WorkerExitVerdict(WorkerExitKind Kind, string Evidence)
{
    // The worker program's own exit codes that mean the connection, not the program, failed.
    private const int Drained = (int)WorkerRuntime.Outcome.Drained;
    private const int ConnectionLost = (int)WorkerRuntime.Outcome.ConnectionLost;

    public static WorkerExitVerdict Judge(bool registered, int exitCode, IReadOnlyList<string> errors, int initializerFailedExitCode)
    {
        string exit = Signals.DescribeExit(exitCode);
        string said = errors.Count == 0 ? string.Empty : $": {string.Join(" / ", errors.Select(line => line.Trim()).Where(line => line.Length > 0))}";
        if (exitCode == initializerFailedExitCode && Signals.SignalOf(exitCode) is null)
        {
            return new(WorkerExitKind.InitializerFailed, $"{exit} (the pool's initializer failed){said}");
        }

        if (registered || exitCode is Drained or ConnectionLost)
        {
            return new(WorkerExitKind.Churn, exit);
        }

        bool gaveUpItself = Signals.SignalOf(exitCode) is null;
        bool saidWhy = errors.Count > 0;
        return gaveUpItself || saidWhy
            ? new(WorkerExitKind.StartFailure, $"{exit} before registering{said}")
            : new(WorkerExitKind.Churn, $"{exit} before registering");
    }
}
