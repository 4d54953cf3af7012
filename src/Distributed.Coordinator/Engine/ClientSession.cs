namespace Distributed.Coordinator.Engine;

/// <summary>One client of the coordinator: the embedded pool, or a remote client's stream.</summary>
internal sealed class ClientSession(string id, IClientSink sink)
{
    public string Id { get; } = id;

    public IClientSink Sink { get; } = sink;

    /// <summary>Units with open items, by the client's unit id. Guarded by the engine's lock.</summary>
    public Dictionary<ulong, UnitRecord> Units { get; } = [];

    /// <summary>No more submits: the client shut down or went away.</summary>
    public bool Closed { get; set; }

    /// <summary>Completes when the client has no open item left; created on demand.</summary>
    public TaskCompletionSource? Idle { get; set; }
}
