using Distributed.Protocol.V1;

namespace Distributed.Remoting;

/// <summary>A client that sends units to a coordinator: the embedded pool's, or a remote executor's connection.</summary>
internal interface IUnitSender : IUnitLink
{
    UnitRegistry Units { get; }

    /// <summary>The largest encoded unit that reaches a worker, and the setting that bounds it, for the error that names it.</summary>
    (int Bytes, string Setting) CallLimit { get; }

    /// <summary>Registers the unit's client half and sends the unit; it names its function by <paramref name="function"/>.</summary>
    void Send(CallUnit unit, FunctionRef function, IUnitFutures futures);

    /// <summary>
    /// Withdraws, in one request, every item of this client that no worker has started. Completes
    /// once they are canceled here (their futures say so): those the coordinator still had queued,
    /// and those a worker held and confirmed it had not started.
    /// </summary>
    Task WithdrawAllAsync();
}
