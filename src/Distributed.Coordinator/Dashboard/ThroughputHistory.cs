namespace Distributed.Coordinator.Dashboard;

/// <summary>
/// The last few minutes, one bucket a second on the engine's clock: items that ended (and of them,
/// failed), and the queue depth and running items as last sampled in that second. A bucket is
/// reused once its second falls out of the window, so counting never allocates. Guarded by the
/// engine's lock.
/// </summary>
internal sealed class ThroughputHistory
{
    private readonly TimeProvider _time;
    private readonly long _origin;
    private readonly Second[] _seconds;

    // The second (since _origin) the newest bucket is for.
    private long _newest;

    public ThroughputHistory(TimeProvider time, int seconds)
    {
        _time = time;
        _origin = time.GetTimestamp();
        _seconds = new Second[seconds];
    }

    /// <summary>One second's figures; <see cref="Sampled"/> is false while nobody looked at the queue in it.</summary>
    public record struct Second(int Completed, int Failed, ulong Queued, ulong Running, bool Sampled);

    /// <summary>Items that ended now: <paramref name="ended"/> in all, <paramref name="failed"/> of them failed.</summary>
    public void Count(int ended, int failed)
    {
        ref var second = ref Now();
        second.Completed += ended;
        second.Failed += failed;
    }

    public void Sample(ulong queued, ulong running)
    {
        ref var second = ref Now();
        second.Queued = queued;
        second.Running = running;
        second.Sampled = true;
    }

    /// <summary>
    /// The window, oldest second first and ending with the current one (shorter while the engine
    /// is younger than the window). A second nobody sampled shows the queue as last sampled, so a
    /// late look draws no false drop to zero.
    /// </summary>
    public Second[] Copy()
    {
        Now();
        int length = (int)Math.Min(_seconds.Length, _newest + 1);
        var copy = new Second[length];
        Second last = default;
        for (int i = 0; i < length; i++)
        {
            var second = _seconds[(int)((_newest - length + 1 + i) % _seconds.Length)];
            if (second.Sampled)
            {
                last = second;
            }
            else
            {
                (second.Queued, second.Running) = (last.Queued, last.Running);
            }

            copy[i] = second;
        }

        return copy;
    }

    private ref Second Now()
    {
        long now = (long)_time.GetElapsedTime(_origin).TotalSeconds;
        if (now > _newest)
        {
            // Seconds that passed with nothing counted start empty; never more than the window's worth.
            for (long s = Math.Max(_newest + 1, now - _seconds.Length + 1); s <= now; s++)
            {
                _seconds[s % _seconds.Length] = default;
            }

            _newest = now;
        }

        return ref _seconds[_newest % _seconds.Length];
    }
}
