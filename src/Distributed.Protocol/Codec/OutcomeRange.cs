using Distributed.Protocol.V1;

namespace Distributed.Protocol;

/// <summary>
/// Which items of its unit an outcome speaks for: all of them, or, for one part of an outcome cut
/// to fit its messages, a run of them (see <see cref="UnitOutcome.FirstIndex"/>). An item's result
/// sits in the outcome's results at its index less <see cref="From"/>.
/// </summary>
public readonly record struct OutcomeRange(int From, int To)
{
    /// <summary>The range of <paramref name="outcome"/> within a unit of <paramref name="unitCount"/> items.</summary>
    public static OutcomeRange Of(UnitOutcome outcome, int unitCount)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        return outcome.ItemCount == 0
            ? new OutcomeRange(0, unitCount)
            : new OutcomeRange((int)Math.Min(outcome.FirstIndex, (uint)unitCount), (int)Math.Min((ulong)outcome.FirstIndex + outcome.ItemCount, (ulong)unitCount));
    }
}
