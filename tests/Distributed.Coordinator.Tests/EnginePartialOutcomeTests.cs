using Distributed.Protocol.V1;

namespace Distributed.Coordinator.Tests;

/// <summary>A big outcome comes in parts; the worker may die between the part that settled the last item and the closing one.</summary>
public sealed class EnginePartialOutcomeTests
{
    private readonly EngineHarness _harness = new();

    [Fact]
    public void WorkerDyingAfterPartsSettledEveryItem_RunsNothingAgain_AndItsClientIsIdle()
    {
        _harness.Engine.Submit(_harness.Client, new CallUnit
        {
            UnitId = 1,
            FunctionId = _harness.Function,
            Count = 2,
            Arguments = { new Column { Count = 2, Ints = { 1, 2 } } },
        });
        var worker = _harness.NewWorker();
        Assert.Single(EngineHarness.Sent(worker).Units);
        _harness.Engine.OnWorkerMessage(worker, new WorkerMessage
        {
            Outcomes = { new UnitOutcome { UnitId = 1, Partial = true, FirstIndex = 0, ItemCount = 2, Results = new Column { Count = 2, Ints = { 1, 4 } } } },
        });
        var idle = _harness.Engine.WhenIdleAsync(_harness.Client);
        Assert.False(idle.IsCompleted, "the client was idle while its worker still owed the closing part");

        _harness.Killed(worker);

        Assert.True(idle.IsCompleted, "every item was settled, yet the client still waits after the worker died");
        var next = _harness.NewWorker();
        Assert.Empty(EngineHarness.Sent(next).Units);
        Assert.Equal(0ul, _harness.Engine.Status().QueuedItems);
    }
}
