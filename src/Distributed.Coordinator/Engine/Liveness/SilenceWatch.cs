using System.Diagnostics;

namespace Distributed.Coordinator.Engine;

/// <summary>
/// Finds the workers and remote clients not heard from within their timeouts, at each look of the
/// watchdog. A look that comes late does not hold the span the coordinator itself did not run
/// against anyone (see <see cref="HearingClock"/>).
/// </summary>
/// <remarks>Every member runs under the engine's lock.</remarks>
internal sealed class SilenceWatch(object engineLock, HearingClock hearing, EngineOptions options, IReadOnlyList<WorkerSession> workers, IReadOnlyList<ClientSession> clients, NoWorkerWatch noWorkers)
{
    private long _lastLook = hearing.Time.GetTimestamp();

    /// <summary>
    /// One look, at <paramref name="now"/>. A silence is judged against its timeout less one
    /// period, so it is acted on within the timeout itself.
    /// </summary>
    /// <param name="now">A timestamp of the engine's clock.</param>
    /// <param name="firstHeard">The first moment any peer was heard since the previous look (<see cref="HearingClock.TakeFirstHeard"/>).</param>
    public Silences LookLocked(long now, long? firstHeard)
    {
        Debug.Assert(Monitor.IsEntered(engineLock));
        var time = options.Time;
        long previous = _lastLook;
        _lastLook = now;
        TimeSpan notRunning = TimeSpan.Zero;
        if (time.GetElapsedTime(previous, now) > FreezeGap)
        {
            // This look is late: the process was stopped, or only its timer was late on a busy
            // machine. Until a peer was heard after the last look nothing shows the process ran,
            // and that span's silence is its own, not its workers' or clients'; from then on
            // they had their say.
            long excused = firstHeard is { } first ? Math.Max(0, first - previous) : now - previous;
            notRunning = time.GetElapsedTime(0, excused);
            foreach (var worker in workers)
            {
                worker.Excuse(excused);
            }

            foreach (var client in clients)
            {
                client.Excuse(excused);
            }

            noWorkers.ExcuseLocked(excused);
        }

        var period = options.WatchdogPeriod;
        return new Silences(
            workers.Where(w => w.SinceHeard >= options.HeartbeatTimeout - period).ToList(),
            clients.Where(c => c.Watched && c.SinceHeard >= options.ClientTimeout - period).ToList(),
            notRunning > FreezeGap ? notRunning : TimeSpan.Zero);
    }

    // Looks further apart than this mean the process itself was not running.
    private TimeSpan FreezeGap => TimeSpan.FromTicks(Math.Max(options.WatchdogPeriod.Ticks * 3, TimeSpan.FromSeconds(1).Ticks));
}

/// <summary>What one look found.</summary>
/// <param name="Workers">Workers silent past the heartbeat timeout.</param>
/// <param name="Clients">Remote clients silent past the client timeout.</param>
/// <param name="NotRunning">How long the coordinator itself did not run before this look, when that was long enough to tell; zero otherwise.</param>
internal readonly record struct Silences(List<WorkerSession> Workers, List<ClientSession> Clients, TimeSpan NotRunning);
