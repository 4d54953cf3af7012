using Distributed.Protocol.V1;

namespace Distributed.Coordinator.Engine;

/// <summary>
/// Where the coordinator tells a client what became of its units: the embedded pool's futures, or
/// a remote client's stream. Called outside the engine's lock; implementations must not block.
/// Unit ids are the client's own.
/// </summary>
internal interface IClientSink
{
    /// <summary>Outcomes of items. An outcome settles every item it does not list as skipped.</summary>
    void OnOutcomes(IReadOnlyList<UnitOutcome> outcomes);

    /// <summary>Items that started running on a worker.</summary>
    void OnRunning(IReadOnlyList<UnitProgress> progress);

    /// <summary>Items that will never run: canceled by a withdrawal and confirmed by their workers.</summary>
    void OnWithdrawn(Withdrawn withdrawn);

    /// <summary>A unit the coordinator refused as a whole (malformed, too large): every item fails with the error.</summary>
    void OnRejected(ulong unitId, ErrorInfo error);

    /// <summary>The pool cannot run work any more; every open item of this client has been failed.</summary>
    void OnBroken(ErrorInfo error);
}
