namespace Distributed.Coordinator.Engine;

/// <summary>One client of the coordinator: the embedded pool, or a remote client's stream.</summary>
internal sealed class ClientSession
{
    private readonly PeerLiveness _liveness;

    /// <param name="id">For logs.</param>
    /// <param name="sink">Where the client's news goes.</param>
    /// <param name="clock">The engine's clock.</param>
    /// <param name="abort">Ends a remote client's stream; null for the embedded pool, which is never silent.</param>
    public ClientSession(string id, IClientSink sink, HearingClock clock, Action<string>? abort)
    {
        Id = id;
        Sink = sink;
        _liveness = new PeerLiveness(clock, abort);
    }

    public string Id { get; }

    /// <summary>When it opened its session, for people watching.</summary>
    public DateTimeOffset OpenedAt { get; init; }

    public IClientSink Sink { get; }

    /// <summary>Units with open items, by the client's unit id. Guarded by the engine's lock.</summary>
    public Dictionary<ulong, UnitRecord> Units { get; } = [];

    /// <summary>No more submits: the client shut down or went away.</summary>
    public bool Closed { get; set; }

    /// <summary>Completes when the client has no open item left; created on demand.</summary>
    public TaskCompletionSource? Idle { get; set; }

    /// <summary>The largest outcome message the client takes (set from its hello); 0 until known.</summary>
    public int MaxOutcomeBytes { get; set; }

    /// <summary>True for a remote client, whose silence past the client timeout means it is gone.</summary>
    public bool Watched => _liveness.CanAbort;

    /// <summary>How long since anything arrived from it.</summary>
    public TimeSpan SinceHeard => _liveness.SinceHeard;

    public void Heard() => _liveness.Heard();

    /// <inheritdoc cref="PeerLiveness.Excuse"/>
    public void Excuse(long timestamps) => _liveness.Excuse(timestamps);

    /// <summary>Ends the client's stream, once.</summary>
    public void Abort(string reason) => _liveness.Abort(reason);
}
