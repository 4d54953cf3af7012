using Distributed.Protocol.V1;

namespace Distributed.Coordinator.Engine;

/// <summary>
/// How long one item of each function takes, learned from what ran (an exponential average): what
/// dispatch uses to pipeline short calls behind running ones and never long ones. Guarded by the
/// engine's lock.
/// </summary>
internal sealed class RunTimeEstimates
{
    private readonly Dictionary<uint, double> _nanosPerItem = [];

    /// <summary>The expected run time of <paramref name="items"/> items of the function, or NaN if it never ran.</summary>
    public double Estimate(uint functionId, int items) =>
        _nanosPerItem.TryGetValue(functionId, out double perItem) ? perItem * items : double.NaN;

    /// <summary>Learns from a unit of <paramref name="count"/> items that ran.</summary>
    public void Learn(UnitOutcome outcome, uint functionId, int count)
    {
        int ran = count - outcome.Skipped.Count;
        if (ran <= 0)
        {
            return;
        }

        double perItem = Math.Max(outcome.RunNanos, 100UL) / (double)ran;
        _nanosPerItem[functionId] = _nanosPerItem.TryGetValue(functionId, out double known) ? (0.8 * known) + (0.2 * perItem) : perItem;
    }
}
