namespace Distributed.Coordinator.Engine;

/// <summary>
/// The engine's clock, with the evidence that the engine's own process was running: the first
/// moment anything was heard from any peer since the watchdog last looked. A look that comes late
/// cannot tell by itself whether the process was stopped (then its peers' silence is its own) or
/// only its timer was late on a busy machine (then the silence is theirs); a peer heard in between
/// settles it, from that moment on.
/// </summary>
internal sealed class HearingClock(TimeProvider time)
{
    private const long NotHeard = long.MinValue;
    private long _firstHeard = NotHeard;

    public TimeProvider Time => time;

    /// <summary>Notes that a peer was heard; returns the moment, on the clock's timestamps.</summary>
    public long Heard()
    {
        long now = time.GetTimestamp();
        if (Volatile.Read(ref _firstHeard) == NotHeard)
        {
            Interlocked.CompareExchange(ref _firstHeard, now, NotHeard);
        }

        return now;
    }

    /// <summary>The first moment a peer was heard since the last call, or null if none was; starts the next span.</summary>
    public long? TakeFirstHeard()
    {
        long first = Interlocked.Exchange(ref _firstHeard, NotHeard);
        return first == NotHeard ? null : first;
    }
}
