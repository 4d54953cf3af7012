using System.Collections.Concurrent;
using Distributed.Coordinator.Engine;
using Distributed.Protocol.V1;

namespace Distributed.Coordinator.Tests;

/// <summary>A client of the engine that keeps everything it is told, for tests that drive the engine directly.</summary>
internal sealed class RecordingSink : IClientSink
{
    public ConcurrentQueue<UnitOutcome> Outcomes { get; } = new();

    public ConcurrentQueue<(ulong UnitId, ErrorInfo Error)> Rejected { get; } = new();

    public ConcurrentQueue<Withdrawn> Withdrawn { get; } = new();

    public void OnOutcomes(IReadOnlyList<UnitOutcome> outcomes)
    {
        foreach (var outcome in outcomes)
        {
            Outcomes.Enqueue(outcome);
        }
    }

    public void OnRunning(IReadOnlyList<UnitProgress> progress)
    {
    }

    public void OnWithdrawn(Withdrawn withdrawn) => Withdrawn.Enqueue(withdrawn);

    public void OnRejected(ulong unitId, ErrorInfo error) => Rejected.Enqueue((unitId, error));

    public void OnBroken(ErrorInfo error)
    {
    }
}
