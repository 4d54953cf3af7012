namespace Distributed.Coordinator.Engine;

/// <summary>
/// When a peer of the engine (a worker, a remote client) was last heard from, on the engine's
/// clock, and how to end its stream: once, and safely however late, after the stream has ended too.
/// </summary>
/// <param name="time">The engine's clock.</param>
/// <param name="abort">Ends the peer's stream, with the reason; null for a peer without one (the embedded pool).</param>
internal sealed class PeerLiveness(TimeProvider time, Action<string>? abort)
{
    private long _lastHeard = time.GetTimestamp();
    private int _aborted;

    /// <summary>True for a peer with a stream to end.</summary>
    public bool CanAbort => abort is not null;

    /// <summary>How long since anything arrived from it.</summary>
    public TimeSpan SinceHeard => time.GetElapsedTime(Volatile.Read(ref _lastHeard));

    public void Heard() => Volatile.Write(ref _lastHeard, time.GetTimestamp());

    public void Abort(string reason)
    {
        if (abort is not null && Interlocked.Exchange(ref _aborted, 1) == 0)
        {
            abort(reason);
        }
    }
}
