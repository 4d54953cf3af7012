using Distributed.Protocol.V1;

namespace Distributed.Protocol.Client;

/// <summary>A client that sends units to a coordinator: the embedded pool's, or a remote executor's connection.</summary>
internal interface IUnitSender : IUnitLink
{
    UnitRegistry Units { get; }

    /// <summary>Registers the unit's client half and sends the unit; it names its function by <paramref name="function"/>.</summary>
    void Send(CallUnit unit, FunctionRef function, IUnitFutures futures);
}
