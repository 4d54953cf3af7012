namespace Distributed.Protocol;

/// <summary>
/// Watches one peer of a stream: if nothing is heard from it for the limit, it reports the
/// silence, once. It looks every tenth of the limit and judges the silence against the limit less
/// one look, so the report comes within the limit itself. Looks that come much later than due mean
/// this process did not run (it was stopped, or starved): that silence is its own, and the clock
/// starts again.
/// </summary>
internal sealed class SilenceWatch : IDisposable
{
    private static readonly TimeSpan s_shortestLook = TimeSpan.FromMilliseconds(10);

    private readonly TimeProvider _time;
    private readonly TimeSpan _limit;
    private readonly TimeSpan _period;
    private readonly Action<TimeSpan> _onSilence;
    private readonly ITimer _timer;
    private long _lastHeard;
    private long _lastLook;
    private int _reported;

    /// <param name="limit">The longest silence taken for a live peer.</param>
    /// <param name="time">The clock.</param>
    /// <param name="onSilence">Told, once, how long the peer was silent; on a timer thread.</param>
    public SilenceWatch(TimeSpan limit, TimeProvider time, Action<TimeSpan> onSilence)
    {
        _time = time;
        _limit = limit;
        _onSilence = onSilence;
        _period = limit / 10 > s_shortestLook ? limit / 10 : s_shortestLook;
        _lastHeard = _lastLook = time.GetTimestamp();
        _timer = time.CreateTimer(_ => Look(), null, _period, _period);
    }

    /// <summary>How often the peer should speak at least: a quarter of the limit, so one lost heartbeat is no silence.</summary>
    public TimeSpan HeartbeatInterval => _limit / 4;

    public void Heard() => Volatile.Write(ref _lastHeard, _time.GetTimestamp());

    public void Dispose() => _timer.Dispose();

    private void Look()
    {
        long now = _time.GetTimestamp();
        var gap = _time.GetElapsedTime(Interlocked.Exchange(ref _lastLook, now), now);
        if (gap > _period * 3 && gap > TimeSpan.FromSeconds(1))
        {
            Heard();
            return;
        }

        var silence = _time.GetElapsedTime(Volatile.Read(ref _lastHeard), now);
        if (silence >= _limit - _period && Interlocked.Exchange(ref _reported, 1) == 0)
        {
            _timer.Dispose();
            _onSilence(silence);
        }
    }
}
