using Distributed.Protocol.V1;

namespace Distributed.Coordinator.Engine;

/// <summary>Errors the engine itself gives a client, where more than one place gives them.</summary>
internal static class EngineErrors
{
    /// <summary>A unit refused as it stands: the client sees an <see cref="ArgumentException"/> naming what was wrong.</summary>
    public static ErrorInfo Rejection(string problem) => new() { Kind = ErrorKind.Rejected, Type = typeof(ArgumentException).FullName, Message = problem };
}
