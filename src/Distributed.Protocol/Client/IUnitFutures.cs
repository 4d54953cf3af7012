using Distributed.Protocol.V1;

namespace Distributed.Protocol.Client;

/// <summary>
/// The client side of one unit: its items' outcomes, as futures (a submit) or as a Map chunk. Each
/// item leaves the open count exactly once: settled by an outcome, failed before it was sent, or
/// withdrawn (an outcome never settles a withdrawn item, because the worker skips it). When none is
/// left open, the unit forgets itself from the pool's registry.
/// </summary>
internal interface IUnitFutures
{
    ulong UnitId { get; }

    /// <summary>Completes the items the outcome settles.</summary>
    void Settle(UnitOutcome outcome);

    /// <summary>Marks the items up to <paramref name="startedIndex"/> running, where that means anything.</summary>
    void MarkRunning(uint startedIndex);

    /// <summary>Fails an item that was never sent (its argument could not be encoded).</summary>
    void FailUnsent(int index, Exception error);

    /// <summary>Fails every item not yet done: the pool was torn down under them.</summary>
    void FailAll(Exception error);

    /// <summary>Cancels every item that has not started.</summary>
    void CancelNotStarted();
}
