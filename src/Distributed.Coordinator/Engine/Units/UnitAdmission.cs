using Distributed.Coordinator.Wire;

namespace Distributed.Coordinator.Engine;

/// <summary>
/// What a submitted unit must be before it is queued. Its counts are checked before anything is
/// allocated from them, and each argument's bytes by the rules a worker reads them by: a unit no
/// worker could read would otherwise end the stream of every worker it went to.
/// </summary>
internal static class UnitAdmission
{
    /// <summary>What is wrong with the unit, for its client, or null when nothing is.</summary>
    public static string? Problem(ClientSession client, ForwardedUnit unit, FunctionCatalog functions)
    {
        if (unit.Count == 0)
        {
            return $"Unit {unit.UnitId} has no items.";
        }

        if (unit.Arguments.Count == 0 && unit.Count != 1)
        {
            return $"Unit {unit.UnitId} claims {unit.Count:N0} items but carries no arguments: a call without arguments is one item.";
        }

        if (!functions.Knows(unit.FunctionId))
        {
            return $"Unit {unit.UnitId} names function {unit.FunctionId}, which was never defined.";
        }

        if (client.Units.ContainsKey(unit.UnitId))
        {
            return $"Unit id {unit.UnitId} is already in use by this client.";
        }

        for (int i = 0; i < unit.Arguments.Count; i++)
        {
            uint count;
            long held;
            try
            {
                (count, held) = ArgumentColumns.Check(unit.Arguments[i]);
            }
            catch (UnreadableColumnException error)
            {
                return $"Argument {i} of unit {unit.UnitId} is not a readable column: {error.Message}.";
            }

            if (count != unit.Count || held != unit.Count)
            {
                return $"Argument {i} of unit {unit.UnitId} claims {count:N0} values and holds {held:N0}, for {unit.Count:N0} items.";
            }
        }

        return null;
    }
}
