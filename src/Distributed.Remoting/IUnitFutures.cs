using Distributed.Protocol.V1;

namespace Distributed.Remoting;

/// <summary>
/// The client side of one unit: its items' outcomes, as futures (a submit) or as a Map chunk. Each
/// item leaves the open count exactly once: settled by an outcome, failed (before it was sent, or
/// with its whole unit), or withdrawn. When none is left open, the unit forgets itself from the
/// client's registry.
/// </summary>
internal interface IUnitFutures
{
    ulong UnitId { get; }

    /// <summary>How many items (calls) the unit holds.</summary>
    int Count { get; }

    /// <summary>Completes the items the outcome settles.</summary>
    void Settle(UnitOutcome outcome);

    /// <summary>Marks the items up to <paramref name="startedIndex"/> running, where that means anything.</summary>
    void MarkRunning(uint startedIndex);

    /// <summary>Fails an item that was never sent (its argument could not be encoded).</summary>
    void FailUnsent(int index, Exception error);

    /// <summary>Fails every item not yet done: the unit was refused, or the client was torn down under it.</summary>
    void FailAll(Exception error);

    /// <summary>The coordinator withdrew the item (null: every item not yet done); it never runs.</summary>
    void ConfirmWithdrawn(uint? index);
}
