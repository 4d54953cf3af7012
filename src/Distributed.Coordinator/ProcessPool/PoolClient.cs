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

    /// <summary>Creates the futures for a unit of <paramref name="count"/> items and sends it to the engine.</summary>
    public ProcessFuture<TResult>[] Submit<TResult>(CallUnit unit, int count, Type wireResultType)
    {
        ulong unitId;
        var futures = new ProcessFuture<TResult>[count];
        lock (_lock)
        {
            unitId = ++_nextUnitId;
            for (uint i = 0; i < count; i++)
            {
                futures[i] = new ProcessFuture<TResult>(this, unitId, i);
            }

            _units[unitId] = new UnitFutures<TResult>(futures, wireResultType);
        }

        unit.UnitId = unitId;
        try
        {
            _engine.Submit(Session, unit);
        }
        catch
        {
            Forget(unitId);
            throw;
        }

        return futures;
    }

    public bool TryWithdraw<TResult>(ProcessFuture<TResult> future)
    {
        var reply = _engine.CancelAsync(Session, future.UnitId, future.Index);
        bool canceled = reply.Wait(_cancelReplyLimit) && reply.Result;
        if (!canceled)
        {
            // It started (or finished): say so, so that Cancel's false matches the future's state.
            future.MarkRunning();
        }
        else if (future.MarkWithdrawn() && Find(future.UnitId)?.Withdrawn() == true)
        {
            Forget(future.UnitId);
        }

        return canceled;
    }

    /// <summary>Fails a future whose item was never sent (its argument could not be encoded).</summary>
    public void FailUnsent<TResult>(ProcessFuture<TResult> future, Exception error)
    {
        future.TrySetException(error);
        if (future.MarkWithdrawn() && Find(future.UnitId)?.Withdrawn() == true)
        {
            Forget(future.UnitId);
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
            if (Find(outcome.UnitId) is { } unit && unit.Settle(outcome))
            {
                Forget(outcome.UnitId);
            }
        }
    }

    private IUnitFutures? Find(ulong unitId)
    {
        lock (_lock)
        {
            return _units.GetValueOrDefault(unitId);
        }
    }

    private void Forget(ulong unitId)
    {
        lock (_lock)
        {
            _units.Remove(unitId);
        }
    }
}
