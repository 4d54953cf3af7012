using Distributed.Protocol.V1;
using Google.Protobuf;

namespace Distributed.Coordinator.Wire;

/// <summary>Makes the coordinator's form of a unit from one built in this process.</summary>
internal static class ForwardedUnits
{
    /// <summary>The same unit, its columns encoded: the bytes a remote client's unit arrives as.</summary>
    public static ForwardedUnit From(CallUnit unit)
    {
        var forwarded = new ForwardedUnit
        {
            UnitId = unit.UnitId,
            FunctionId = unit.FunctionId,
            Count = unit.Count,
            MaxOutcomeBytes = unit.MaxOutcomeBytes,
            ConfirmStart = unit.ConfirmStart,
            Options = unit.Options,
            Traceparent = unit.Traceparent,
            Tracestate = unit.Tracestate,
        };
        foreach (var column in unit.Arguments)
        {
            forwarded.Arguments.Add(column.ToByteString());
        }

        forwarded.Skip.AddRange(unit.Skip);
        return forwarded;
    }
}
