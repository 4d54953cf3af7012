namespace Distributed.Coordinator.Engine;

/// <summary>
/// Telling a poison task from churn. A task that kills its worker does so on every attempt; a
/// worker killed from outside (a kill loop, the OOM killer, a node going away) dies under whatever
/// it happened to run. The difference shows in the other deaths: when a worker died and everything
/// it was running later ran to its end elsewhere, its death was not its tasks' doing, so something
/// outside the tasks is killing workers. While such a death is recent, a death under an isolated
/// task proves nothing against it: the loss is listed but not counted against its retries, up to a
/// bound, so a poison task still fails under endless churn. Guarded by the engine's lock.
/// </summary>
/// <param name="time">The engine's clock.</param>
/// <param name="maxRetries">The counted deaths an item may survive; the excused ones are bounded by it too.</param>
internal sealed class ChurnEvidence(TimeProvider time, int maxRetries)
{
    // How recent a death must be to tell of churn now.
    private static readonly TimeSpan s_window = TimeSpan.FromSeconds(10);

    // Excused deaths per counted attempt at most: under churn that never stops, a poison task
    // still fails, after (1 + ExcusedPerAttempt) times the usual number of attempts.
    private const int ExcusedPerAttempt = 2;

    // Deaths of registered workers within the window, oldest first.
    private readonly Queue<WorkerDeath> _recentDeaths = new();

    // The last death known at once to come from outside: a worker killed before it registered.
    private (long At, string What)? _lastOutsideDeath;

    /// <summary>A worker process was killed before it registered: no task can have done that.</summary>
    public void NoteOutsideDeath(string what) => _lastOutsideDeath = (time.GetTimestamp(), what);

    /// <summary>Keeps a worker's death as evidence for judging the next ones (after it was judged itself).</summary>
    public void Remember(WorkerSession worker, UnitRecord[] suspects)
    {
        long now = time.GetTimestamp();
        while (_recentDeaths.TryPeek(out var oldest) && time.GetElapsedTime(oldest.At, now) > s_window)
        {
            _recentDeaths.Dequeue();
        }

        _recentDeaths.Enqueue(new WorkerDeath(now, worker.Id, suspects));
    }

    /// <summary>
    /// Why a death under <paramref name="record"/> is not counted against it, or null if it counts:
    /// a recent death shown to come from outside, unless the task has been excused its share already.
    /// </summary>
    public string? Excuse(UnitRecord record, uint item)
    {
        int excused = record.Losses(item).Count - record.CountedLosses(item);
        if (excused >= ExcusedPerAttempt * (1 + maxRetries))
        {
            return null;
        }

        long now = time.GetTimestamp();
        TimeSpan Ago(long at) => time.GetElapsedTime(at, now);
        if (_lastOutsideDeath is { } outside && Ago(outside.At) <= s_window)
        {
            return $"not counted: {outside.What} {Ago(outside.At).TotalSeconds:F1} s before";
        }

        var shown = _recentDeaths.LastOrDefault(d => Ago(d.At) <= s_window && d.ShownFromOutside);
        return shown is null
            ? null
            : $"not counted: worker {shown.WorkerId} had died {Ago(shown.At).TotalSeconds:F1} s before, and what it ran has since run to its end elsewhere";
    }

    /// <summary>A worker's death, and the units that were running on it.</summary>
    private sealed record WorkerDeath(long At, string WorkerId, UnitRecord[] Suspects)
    {
        /// <summary>True once everything it was running has run to its end elsewhere (at once for a worker running nothing).</summary>
        public bool ShownFromOutside => Suspects.All(s => s.RanToEnd);
    }
}
