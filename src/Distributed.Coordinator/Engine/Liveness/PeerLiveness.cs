namespace Distributed.Coordinator.Engine;

/// <summary>
/// When a peer of the engine (a worker, a remote client) was last heard from, on the engine's
/// clock, and how to end its stream: once, and safely however late, after the stream has ended too.
/// </summary>
/// <param name="clock">The engine's clock, which also learns that the engine's process ran.</param>
/// <param name="abort">Ends the peer's stream, with the reason; null for a peer without one (the embedded pool).</param>
internal sealed class PeerLiveness(HearingClock clock, Action<string>? abort)
{
    private long _lastHeard = clock.Time.GetTimestamp();
    private int _aborted;

    /// <summary>True for a peer with a stream to end.</summary>
    public bool CanAbort => abort is not null;

    /// <summary>How long since anything arrived from it.</summary>
    public TimeSpan SinceHeard => clock.Time.GetElapsedTime(Volatile.Read(ref _lastHeard));

    public void Heard() => Volatile.Write(ref _lastHeard, clock.Heard());

    /// <summary>
    /// Does not hold <paramref name="timestamps"/> (on the clock's timestamps) of silence against
    /// the peer: a span in which the engine's process itself did not run. Never moves past now.
    /// </summary>
    public void Excuse(long timestamps)
    {
        long now = clock.Time.GetTimestamp();
        long seen = Volatile.Read(ref _lastHeard);
        long excused = Math.Min(now, seen + timestamps);

        // A message heard meanwhile is newer than any excuse: it wins.
        Interlocked.CompareExchange(ref _lastHeard, excused, seen);
    }

    public void Abort(string reason)
    {
        if (abort is not null && Interlocked.Exchange(ref _aborted, 1) == 0)
        {
            abort(reason);
        }
    }
}
