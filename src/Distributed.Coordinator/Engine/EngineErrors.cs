using Distributed.Protocol.V1;

namespace Distributed.Coordinator.Engine;

/// <summary>Errors the engine itself gives a client, where more than one place gives them.</summary>
internal static class EngineErrors
{
    /// <summary>A queued item whose CancellationToken was canceled: it ends canceled without running (again).</summary>
    public static ErrorInfo CanceledByToken(bool ran) => new()
    {
        Kind = ErrorKind.Canceled,
        Type = typeof(OperationCanceledException).FullName,
        Message = ran
            ? "The task's CancellationToken was canceled while it waited to run again (its worker had died)."
            : "The task's CancellationToken was canceled before it ran.",
    };

    /// <summary>A unit refused as it stands: the client sees an <see cref="ArgumentException"/> naming what was wrong.</summary>
    public static ErrorInfo Rejection(string problem) => new() { Kind = ErrorKind.Rejected, Type = typeof(ArgumentException).FullName, Message = problem };
}
