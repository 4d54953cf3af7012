using System.Text.Json;
using Distributed.Coordinator.Engine;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Distributed.Coordinator.Dashboard;

/// <summary>
/// Looks at the engine once a second on its clock: the look samples the queue for the throughput
/// plot, and, while anyone watches, becomes the snapshot every open event stream sends next. One
/// snapshot is made and serialized per second however many watch; their number is bounded.
/// </summary>
internal sealed class DashboardFeed(CoordinatorEngine engine, TimeProvider time, ILogger logger) : BackgroundService
{
    /// <summary>How often the dashboard is brought up to date.</summary>
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(1);

    /// <summary>Event streams served at once; a browser tab holds one.</summary>
    public const int MaxStreams = 16;

    private Published _latest = new(0, []);
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _streams;

    /// <summary>One snapshot as JSON, numbered in the order they were made.</summary>
    public sealed record Published(long Version, byte[] Json);

    /// <summary>The number of the latest snapshot published.</summary>
    public long Version => Volatile.Read(ref _latest).Version;

    /// <summary>The engine's snapshot as it is now, as JSON.</summary>
    public byte[] Now() => JsonSerializer.SerializeToUtf8Bytes(DashboardSnapshot.From(engine.DashboardView()), DashboardJson.Default.DashboardSnapshot);

    /// <summary>Counts an event stream in; false when <see cref="MaxStreams"/> are open already.</summary>
    public bool TryOpenStream(out int open)
    {
        open = Interlocked.Increment(ref _streams);
        if (open <= MaxStreams)
        {
            return true;
        }

        Interlocked.Decrement(ref _streams);
        return false;
    }

    public void CloseStream() => Interlocked.Decrement(ref _streams);

    /// <summary>The first snapshot made after <paramref name="version"/>; waits for the next look if there is none yet.</summary>
    public async Task<Published> NextAsync(long version, CancellationToken cancellationToken)
    {
        while (true)
        {
            // The waiter before the snapshot: one published in between completes this waiter.
            var next = Volatile.Read(ref _next).Task;
            var latest = Volatile.Read(ref _latest);
            if (latest.Version > version)
            {
                return latest;
            }

            await next.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period, time);
        do
        {
            Look();
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    private void Look()
    {
        try
        {
            if (Volatile.Read(ref _streams) == 0)
            {
                // Nobody watches: only the queue's sample for the plot.
                engine.DashboardView();
                return;
            }

            Volatile.Write(ref _latest, new Published(_latest.Version + 1, Now()));
            var woken = Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            woken.TrySetResult();
        }
        catch (Exception error)
        {
            // The next look tries again; the streams keep their last snapshot meanwhile.
            DashboardLog.SnapshotFailed(logger, error);
        }
    }
}
