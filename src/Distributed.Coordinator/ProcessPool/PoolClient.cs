using System.Diagnostics.CodeAnalysis;
using Distributed.Coordinator.Engine;
using Distributed.Futures;
using Distributed.Protocol;
using Distributed.Protocol.V1;

namespace Distributed.Coordinator.ProcessPool;

/// <summary>
/// The embedded pool as a client of its engine: it keeps the futures of every unit in flight,
/// completes them from the engine's outcomes, and withdraws them when they are canceled.
/// Outcomes are applied on one dedicated thread, in order, so that user callbacks (which run on
/// the thread that completes a future) never block the streams from the workers.
/// </summary>
[SuppressMessage(
    "Reliability",
    "CA1001:Types that own disposable fields should be disposable",
    Justification = "The delivery pool is shut down by DrainDeliveriesAsync, the last step of the pool's teardown.")]
internal sealed class PoolClient : IClientSink
{
    private readonly object _lock = new();
    private readonly Dictionary<ulong, IUnitFutures> _units = [];
    private readonly CoordinatorEngine _engine;
    private readonly ThreadPoolExecutor _delivery = new(maxWorkers: 1, threadNamePrefix: "ProcessPoolExecutor-results");
    private readonly TimeSpan _cancelReplyLimit;
    private ulong _nextUnitId;

    public PoolClient(CoordinatorEngine engine)
    {
        _engine = engine;
        Session = engine.OpenClient("embedded pool", this);

        // A worker answers a cancel at once, or is lost within the heartbeat timeout, which answers it too.
        _cancelReplyLimit = engine.Options.HeartbeatTimeout + TimeSpan.FromSeconds(5);
    }

    public ClientSession Session { get; }

    /// <summary>True on the thread that completes futures: it must not wait for the pool to finish.</summary>
    public bool IsDeliveryThread => _delivery.OwnsCurrentThread;

    /// <summary>A fresh unit id, for the unit about to be submitted.</summary>
    public ulong NextUnitId() => Interlocked.Increment(ref _nextUnitId);

    /// <summary>Registers a unit's client half and sends the unit to the engine.</summary>
    public void Submit(CallUnit unit, IUnitFutures futures)
    {
        lock (_lock)
        {
            _units[futures.UnitId] = futures;
        }

        unit.UnitId = futures.UnitId;
        try
        {
            _engine.Submit(Session, unit);
        }
        catch
        {
            Forget(futures.UnitId);
            throw;
        }
    }

    /// <summary>
    /// Asks the engine to withdraw one item: true if it will never run. A worker answers at once,
    /// or is lost within the heartbeat timeout, which answers too; past that bound, false.
    /// </summary>
    public bool Withdraw(ulong unitId, uint index)
    {
        var reply = _engine.CancelAsync(Session, unitId, index);
        return reply.Wait(_cancelReplyLimit) && reply.Result;
    }

    /// <summary>Drops a unit with no open item left from the registry.</summary>
    public void Forget(ulong unitId)
    {
        lock (_lock)
        {
            _units.Remove(unitId);
        }
    }

    /// <summary>Cancels every future of the pool whose item has not started (Shutdown with cancelFutures).</summary>
    public void CancelAllNotStarted()
    {
        List<IUnitFutures> units;
        lock (_lock)
        {
            units = [.. _units.Values];
        }

        units.ForEach(unit => unit.CancelNotStarted());
    }

    public void OnOutcomes(IReadOnlyList<UnitOutcome> outcomes)
    {
        try
        {
            _delivery.Submit(Deliver, outcomes);
        }
        catch (InvalidOperationException)
        {
            // Deliveries stop only once every item was settled: a late message can settle nothing.
        }
    }

    public void OnRunning(IReadOnlyList<UnitProgress> progress)
    {
        // Marking running runs no callback, so it is safe on the engine's thread, and prompt.
        foreach (var item in progress)
        {
            Find(item.UnitId)?.MarkRunning(item.StartedIndex);
        }
    }

    public void OnBroken(ErrorInfo error)
    {
        // The engine has already failed every open item through OnOutcomes.
    }

    /// <summary>Fails the futures of every unit still in flight: the pool was torn down under them.</summary>
    public void FailAll(Exception error)
    {
        List<IUnitFutures> units;
        lock (_lock)
        {
            units = [.. _units.Values];
            _units.Clear();
        }

        units.ForEach(unit => unit.FailAll(error));
    }

    /// <summary>Completes when every outcome received so far has been applied.</summary>
    public Task DrainDeliveriesAsync() => _delivery.ShutdownAsync();

    private void Deliver(IReadOnlyList<UnitOutcome> outcomes)
    {
        foreach (var outcome in outcomes)
        {
            Find(outcome.UnitId)?.Settle(outcome);
        }
    }

    private IUnitFutures? Find(ulong unitId)
    {
        lock (_lock)
        {
            return _units.GetValueOrDefault(unitId);
        }
    }

}
