using System.Diagnostics;
using Distributed.Protocol;
using Distributed.Protocol.V1;

namespace Distributed.Coordinator.Engine;

/// <summary>
/// One connected worker: what it is, what it has been given (in assignment order, which lets the
/// coordinator tell after a crash which units were possibly running), and how much more it may be
/// given. Guarded by the engine's lock, except the mailbox and the heard-from clock.
/// </summary>
internal sealed class WorkerSession(Register registration, Action<string> abort)
{
    // A busy worker may hold queued units up to about this much estimated work per slot: enough
    // to hide a round trip when calls are short, so throughput does not wait on the wire; none
    // when they are long, so Cancel stays meaningful and an idle worker is never starved by a busy
    // one's backlog. Units of a function never measured go only to free slots.
    private const double PipelineNanosPerSlot = 2_000_000;

    // Bounds the backlog of the very shortest calls (and so the memory they hold).
    private const int MaxUnitsPerSlot = 4096;

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

    /// <summary>Told to finish what it has and leave; it is given nothing more.</summary>
    public bool Draining { get; private set; }

    public bool Removed { get; set; }

    public ulong AssignedItems { get; set; }

    public ulong CompletedItems { get; set; }

    /// <summary>The summed estimated run time of the units it holds whose estimate is known.</summary>
    public double EstimatedNanosInFlight { get; private set; }

    /// <summary>Units it holds whose function was never measured.</summary>
    public int UnestimatedInFlight { get; private set; }

    /// <summary>Free slots: units it can start at once.</summary>
    public int FreeSlots => Slots - InFlight.Count;

    public bool Accepting => !Draining && !Removed && Budget is null or > 0;

    public TimeSpan SinceHeard => Stopwatch.GetElapsedTime(Volatile.Read(ref _lastHeard));

    public void Heard() => Volatile.Write(ref _lastHeard, Stopwatch.GetTimestamp());

    /// <summary>Tells the worker to finish what it has and leave.</summary>
    /// <param name="coordinatorStopping">
    /// The coordinator itself is shutting down (the worker is not being retired): a standalone
    /// worker that reconnects then dials again, so a restarted coordinator finds it back.
    /// </param>
    public void Drain(bool coordinatorStopping)
    {
        Draining = true;
        Mailbox.Post(m =>
        {
            m.Drain = true;
            m.CoordinatorStopping = coordinatorStopping;
        });
    }

    /// <summary>Ends the worker's stream.</summary>
    public void Abort(string reason) => abort(reason);

    /// <summary>
    /// Whether it should take a unit of the given estimated run time (NaN: unknown) now: always
    /// into a free slot; behind running work only while its estimated backlog stays short.
    /// </summary>
    public bool CanTake(double estimatedNanos)
    {
        if (!Accepting)
        {
            return false;
        }

        if (FreeSlots > 0)
        {
            return true;
        }

        return !double.IsNaN(estimatedNanos)
            && UnestimatedInFlight == 0
            && InFlight.Count < Slots * MaxUnitsPerSlot
            && EstimatedNanosInFlight + estimatedNanos <= PipelineNanosPerSlot * Slots;
    }

    public void Hold(UnitRecord record)
    {
        InFlight.AddLast(record);
        if (double.IsNaN(record.EstimatedNanos))
        {
            UnestimatedInFlight++;
        }
        else
        {
            EstimatedNanosInFlight += record.EstimatedNanos;
        }
    }

    public void Release(UnitRecord record)
    {
        if (!InFlight.Remove(record))
        {
            return;
        }

        if (double.IsNaN(record.EstimatedNanos))
        {
            UnestimatedInFlight--;
        }
        else
        {
            EstimatedNanosInFlight = InFlight.Count == 0 ? 0 : Math.Max(0, EstimatedNanosInFlight - record.EstimatedNanos);
        }
    }
}
