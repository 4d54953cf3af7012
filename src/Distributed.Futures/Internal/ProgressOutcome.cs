namespace Distributed.Futures.Internal;

/// <summary>How one item of a tracked batch ended.</summary>
internal enum ProgressOutcome
{
    Succeeded,
    Failed,
    Canceled,
}
