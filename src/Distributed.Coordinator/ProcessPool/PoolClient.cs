using Distributed.Coordinator.Engine;
using Distributed.Protocol;
using Distributed.Protocol.V1;
using Distributed.Remoting;

namespace Distributed.Coordinator.ProcessPool;

/// <summary>
/// The embedded pool as a client of its engine: it keeps the futures of every unit in flight,
/// completes them from the engine's outcomes (through the registry's delivery thread), and
/// withdraws items when they are canceled.
/// </summary>
internal sealed class PoolClient : IClientSink, IUnitSender
{
    private readonly CoordinatorEngine _engine;
    private readonly TimeSpan _cancelReplyLimit;

    public PoolClient(CoordinatorEngine engine)
    {
        _engine = engine;
        Session = engine.OpenClient("embedded pool", this);

        // A worker answers a cancel at once, or is lost within the heartbeat timeout, which answers it too.
        _cancelReplyLimit = engine.Options.HeartbeatTimeout + TimeSpan.FromSeconds(5);
    }

    public ClientSession Session { get; }

    public UnitRegistry Units { get; } = new("ProcessPoolExecutor-results", ClientMetrics.ProcessPool);

    public (int Bytes, string Setting) CallLimit =>
        (_engine.Options.MaxMessageBytes - ProtocolInfo.MessageOverheadBytes, "ProcessPoolOptions.MaxMessageBytes");

    /// <summary>Registers a unit's client half and sends the unit to the engine.</summary>
    public void Send(CallUnit unit, FunctionRef function, IUnitFutures futures)
    {
        Units.Add(futures);
        unit.UnitId = futures.UnitId;
        unit.FunctionId = _engine.RegisterFunction(function);
        try
        {
            _engine.Submit(Session, unit);
        }
        catch
        {
            Units.Forget(futures.UnitId);
            throw;
        }
    }

    public bool? Withdraw(ulong unitId, uint index)
    {
        var reply = _engine.CancelAsync(Session, unitId, index);
        return reply.Wait(_cancelReplyLimit) ? reply.Result : null;
    }

    /// <inheritdoc/>
    public void CancelByToken(ulong unitId, uint index) =>
        _engine.CancelByToken(Session, [new UnitIndex { UnitId = unitId, Index = index }]);

    public Task WithdrawFromAsync(ulong unitId, uint index) =>
        WithdrawAsync(new Withdrawal { From = { new UnitIndex { UnitId = unitId, Index = index } } });

    public Task WithdrawAllAsync() => WithdrawAsync(new Withdrawal { All = true });

    /// <summary>Completes once the engine's answer (every worker asked has answered) is applied to the futures.</summary>
    private Task WithdrawAsync(Withdrawal withdrawal) => _engine.Withdraw(Session, withdrawal).ContinueWith(
        answer => Units.ApplyWithdrawn(answer.Result),
        CancellationToken.None,
        TaskContinuationOptions.ExecuteSynchronously,
        TaskScheduler.Default);

    public void Forget(ulong unitId) => Units.Forget(unitId);

    public void RunCallbacks(Action callbacks) => Units.RunCallbacks(callbacks);

    public void OnOutcomes(IReadOnlyList<UnitOutcome> outcomes) => Units.Deliver(outcomes);

    public void OnRunning(IReadOnlyList<UnitProgress> progress) => Units.MarkRunning(progress);

    public void OnWithdrawn(Withdrawn withdrawn) => Units.ApplyWithdrawn(withdrawn);

    public void OnRejected(ulong unitId, ErrorInfo error) => Units.Reject(unitId, error);

    public void OnBroken(ErrorInfo error)
    {
        // The engine has already failed every open item through OnOutcomes.
    }
}
