namespace Distributed.FaultTests;

/// <summary>
/// The fault tests run one at a time: each loads both cores on purpose (kill loops, frozen
/// processes, large messages), and the bounds they measure would measure each other instead.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class OneFaultAtATime
{
    public const string Name = "one fault at a time";
}
