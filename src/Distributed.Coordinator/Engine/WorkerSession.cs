using System.Diagnostics;
using Distributed.Protocol.V1;

namespace Distributed.Coordinator.Engine;

/// <summary>
/// One connected worker: what it is, what it has been given (in assignment order, which lets the
/// coordinator tell after a crash which units were possibly running), and how much more it may be
/// given. Guarded by the engine's lock, except the mailbox and the heard-from clock.
/// </summary>
internal sealed class WorkerSession(Register registration, Action<string> abort)
{
    // Keep about this much work queued at a worker beyond what its slots are running: enough to
    // hide a round trip for short calls, so throughput does not wait on the wire; and none at all
    // for long calls, so Cancel stays meaningful and an idle worker is never starved by a busy
    // one's backlog. Until the first unit comes back its length is unknown, so there is none.
    private static readonly long s_pipelineNanos = 2_000_000;
    private const int MaxPrefetch = 256;

    private double _averageUnitNanos = double.NaN;
    private long _lastHeard = Stopwatch.GetTimestamp();

    public string Id { get; } = registration.WorkerId;

    public string Host { get; } = registration.Host;

    public int Pid { get; } = registration.Pid;

    public int Slots { get; } = (int)Math.Max(1, registration.Slots);

    public Mailbox<CoordinatorMessage> Mailbox { get; } = new();

    /// <summary>Units given to this worker and not yet answered, oldest first.</summary>
    public LinkedList<UnitRecord> InFlight { get; } = new();

    /// <summary>Functions already named to this worker.</summary>
    public HashSet<uint> DefinedFunctions { get; } = [];

    /// <summary>Units it may still be given before it is replaced (max tasks per child), or null without a limit.</summary>
    public int? Budget { get; set; }

    public bool Draining { get; set; }

    public bool Removed { get; set; }

    public ulong AssignedItems { get; set; }

    public ulong CompletedItems { get; set; }

    /// <summary>How many more units beyond its slots it should hold; see <see cref="RecordRun"/>.</summary>
    public int Prefetch { get; private set; }

    public bool HasRoom => !Draining && !Removed && InFlight.Count < Slots + Prefetch && Budget is null or > 0;

    public int Room => Slots + Prefetch - InFlight.Count;

    public TimeSpan SinceHeard => Stopwatch.GetElapsedTime(Volatile.Read(ref _lastHeard));

    public void Heard() => Volatile.Write(ref _lastHeard, Stopwatch.GetTimestamp());

    /// <summary>Ends the worker's stream.</summary>
    public void Abort(string reason) => abort(reason);

    /// <summary>Learns how long this worker's units take, and sizes the prefetch from it.</summary>
    public void RecordRun(ulong runNanos)
    {
        double nanos = Math.Max(runNanos, 100);
        _averageUnitNanos = double.IsNaN(_averageUnitNanos) ? nanos : (0.8 * _averageUnitNanos) + (0.2 * nanos);
        Prefetch = (int)Math.Clamp(s_pipelineNanos / _averageUnitNanos, 0, MaxPrefetch);
    }
}
