using Distributed.Coordinator.Wire;
using Distributed.Protocol;
using Distributed.Protocol.V1;

namespace Distributed.Coordinator.Engine;

/// <summary>
/// One connected worker: what it is, what it has been given (in assignment order, which lets the
/// coordinator tell after a crash which units were possibly running), and how much more it may be
/// given. Guarded by the engine's lock, except the mailbox and the heard-from clock.
/// </summary>
internal sealed class WorkerSession
{
    // A busy worker may hold queued units up to about this much estimated work per slot: enough
    // to hide a round trip when calls are short, so throughput does not wait on the wire; none
    // when they are long, so Cancel stays meaningful and an idle worker is never starved by a busy
    // one's backlog. Units of a function never measured go only to free slots.
    private const double PipelineNanosPerSlot = 2_000_000;

    // Bounds the backlog of the very shortest calls (and so the memory they hold).
    private const int MaxUnitsPerSlot = 4096;

    private readonly PeerLiveness _liveness;
    private readonly LinkedList<UnitRecord> _inFlight = new();
    private MemoryUsage? _memory;

    public WorkerSession(Register registration, Action<string> abort, HearingClock clock, int coordinatorMaxMessageBytes)
    {
        _liveness = new PeerLiveness(clock, abort);
        Id = registration.WorkerId;
        Host = registration.Host;
        Pid = registration.Pid;
        Slots = (int)Math.Max(1, registration.Slots);

        // A unit bigger than the worker takes would end its stream: each side reads no more than its own limit.
        MaxMessageBytes = registration.MaxMessageBytes == 0
            ? Math.Min(coordinatorMaxMessageBytes, ProtocolInfo.DefaultMaxMessageBytes)
            : Math.Min(coordinatorMaxMessageBytes, (int)Math.Min(registration.MaxMessageBytes, int.MaxValue));
    }

    public string Id { get; }

    public string Host { get; }

    public int Pid { get; }

    public int Slots { get; }

    /// <summary>The largest message either side of this worker's stream takes.</summary>
    public int MaxMessageBytes { get; }

    public Mailbox<ForwardedCoordinatorMessage> Mailbox { get; } = new();

    /// <summary>Units given to this worker and not yet answered, oldest first.</summary>
    public IReadOnlyCollection<UnitRecord> InFlight => _inFlight;

    /// <summary>Functions already named to this worker.</summary>
    public HashSet<uint> DefinedFunctions { get; } = [];

    /// <summary>Units it may still be given before it is replaced (max tasks per child), or null without a limit.</summary>
    public int? Budget { get; set; }

    /// <summary>Told to finish what it has and leave; it is given nothing more.</summary>
    public bool Draining { get; private set; }

    public bool Removed { get; set; }

    /// <summary>
    /// It ended itself to stop a task that ran past its timeout (see <c>Recycling</c> in the
    /// protocol): what it held runs again elsewhere, and none of it is charged a retry.
    /// </summary>
    public bool Recycled { get; set; }

    /// <summary>Its stream has ended and it is about to be removed: it is given nothing more.</summary>
    public bool Closing { get; set; }

    public ulong AssignedItems { get; set; }

    public ulong CompletedItems { get; set; }

    /// <summary>Of <see cref="CompletedItems"/>, those that ended with an exception.</summary>
    public ulong FailedItems { get; set; }

    /// <summary>The summed estimated run time of the units it holds whose estimate is known.</summary>
    public double EstimatedNanosInFlight { get; private set; }

    /// <summary>Units it holds whose function was never measured.</summary>
    public int UnestimatedInFlight { get; private set; }

    /// <summary>Free slots: units it can start at once.</summary>
    public int FreeSlots => Slots - InFlight.Count;

    public bool Accepting => !Draining && !Removed && !Closing && Budget is null or > 0;

    /// <summary>How long since anything arrived from it.</summary>
    public TimeSpan SinceHeard => _liveness.SinceHeard;

    /// <summary>
    /// Its process's memory as it last reported it, or null (not yet, or a worker that does not
    /// report it). Written without the engine's lock, by the worker's stream: one reference, so a
    /// reader sees one report whole.
    /// </summary>
    public MemoryUsage? Memory
    {
        get => Volatile.Read(ref _memory);
        set => Volatile.Write(ref _memory, value);
    }

    public void Heard() => _liveness.Heard();

    /// <inheritdoc cref="PeerLiveness.Excuse"/>
    public void Excuse(long timestamps) => _liveness.Excuse(timestamps);

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

    /// <summary>Ends the worker's stream, once; safe however late, after the stream has ended too.</summary>
    public void Abort(string reason) => _liveness.Abort(reason);

    /// <summary>
    /// Whether it should take a unit of the given estimated run time (NaN: unknown) now: always
    /// into a free slot; behind running work only while its estimated backlog stays short. A unit
    /// that runs isolated goes only to a worker that holds nothing, and nothing joins it there.
    /// </summary>
    /// <param name="record">The unit to place.</param>
    /// <param name="estimatedNanos">What it is expected to take (NaN: not known).</param>
    /// <param name="time">The engine's clock, to tell whether what the worker runs is overdue.</param>
    /// <param name="now">Its timestamp now.</param>
    public bool CanTake(UnitRecord record, double estimatedNanos, TimeProvider time, long now)
    {
        if (!Accepting || record.SizeAsSent > MaxMessageBytes - ProtocolInfo.MessageOverheadBytes)
        {
            return false;
        }

        if (record.Isolated || HoldsIsolated)
        {
            return InFlight.Count == 0;
        }

        if (FreeSlots > 0)
        {
            return true;
        }

        return !double.IsNaN(estimatedNanos)
            && UnestimatedInFlight == 0
            && InFlight.Count < Slots * MaxUnitsPerSlot
            && EstimatedNanosInFlight + estimatedNanos <= PipelineNanosPerSlot * Slots
            && !RunsOverdue(time, now);
    }

    /// <summary>
    /// True if a unit it may be running has taken well past its estimate (a straggler, or a task
    /// held at a gate): work sent ahead would wait behind it, while the queue could give it to
    /// whichever worker frees first, in priority order.
    /// </summary>
    private bool RunsOverdue(TimeProvider time, long now)
    {
        int looked = 0;
        for (var node = _inFlight.First; node is not null && looked < Slots; node = node.Next, looked++)
        {
            var unit = node.Value;
            if (time.GetElapsedTime(unit.AssignedAt, now).Ticks * 100 > unit.EstimatedNanos + PipelineNanosPerSlot)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True if the unit is among those it holds.</summary>
    public bool Holds(UnitRecord record) => record.HeldAt?.List == _inFlight;

    public void Hold(UnitRecord record)
    {
        record.HeldAt = _inFlight.AddLast(record);
        if (double.IsNaN(record.EstimatedNanos))
        {
            UnestimatedInFlight++;
        }
        else
        {
            EstimatedNanosInFlight += record.EstimatedNanos;
        }
    }

    /// <summary>Lets go of a unit it holds (by the node it holds it at: a worker may hold thousands); a no-op otherwise.</summary>
    public void Release(UnitRecord record)
    {
        if (!Holds(record))
        {
            return;
        }

        _inFlight.Remove(record.HeldAt!);
        record.HeldAt = null;

        if (double.IsNaN(record.EstimatedNanos))
        {
            UnestimatedInFlight--;
        }
        else
        {
            EstimatedNanosInFlight = _inFlight.Count == 0 ? 0 : Math.Max(0, EstimatedNanosInFlight - record.EstimatedNanos);
        }
    }

    /// <summary>Lets go of everything it holds (it is gone), and returns it in assignment order.</summary>
    public List<UnitRecord> ReleaseAll()
    {
        var held = _inFlight.ToList();
        held.ForEach(record => record.HeldAt = null);
        _inFlight.Clear();
        EstimatedNanosInFlight = 0;
        UnestimatedInFlight = 0;
        return held;
    }

    private bool HoldsIsolated => _inFlight.First is { Value.Isolated: true };
}
