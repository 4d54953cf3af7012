using Distributed.Protocol.V1;

namespace Distributed.Coordinator.Tests;

/// <summary>
/// Where a canceled CancellationToken goes, driven directly: a queued item ends canceled and is
/// never sent; an item a worker holds has its token signaled on that worker; one whose worker dies
/// first ends canceled instead of running again.
/// </summary>
public sealed class EngineTokenCancelTests
{
    private readonly EngineHarness _harness = new();

    [Fact]
    public void AQueuedItem_EndsCanceled_AndNeverGoesToAWorker()
    {
        _harness.Submit(1);

        CancelByToken(1);

        var error = Assert.Single(_harness.OutcomeOf(1).Errors).Error;
        Assert.Equal(ErrorKind.Canceled, error.Kind);
        Assert.Contains("before it ran", error.Message, StringComparison.Ordinal);
        var worker = _harness.NewWorker();
        Assert.Empty(EngineHarness.Sent(worker).Units);
        Assert.Equal(0UL, _harness.Engine.Status().QueuedItems);
    }

    [Fact]
    public void AnItemAWorkerHolds_HasItsTokenSignaledThere_AndRunsOnToItsOutcome()
    {
        var worker = _harness.NewWorker();
        _harness.Submit(1);
        var unit = Assert.Single(EngineHarness.Sent(worker).Units);
        _harness.Started(worker, unit.UnitId);

        CancelByToken(1);

        var signal = Assert.Single(EngineHarness.Sent(worker).TokenCancels);
        Assert.Equal((unit.UnitId, 0U), (signal.UnitId, signal.Index));
        Assert.Empty(_harness.Sink.Outcomes);

        // The worker's word is the outcome: here the task gave up for its token.
        _harness.Engine.OnWorkerMessage(worker, new WorkerMessage
        {
            Outcomes = { new UnitOutcome { UnitId = unit.UnitId, Errors = { new ItemError { Index = 0, Error = new ErrorInfo { Kind = ErrorKind.Canceled } } } } },
        });
        Assert.Equal(ErrorKind.Canceled, Assert.Single(_harness.OutcomeOf(1).Errors).Error.Kind);
    }

    [Fact]
    public void AnItemWhoseWorkerDiesAfterItsTokenWasCanceled_EndsCanceled_AndDoesNotRunAgain()
    {
        var worker = _harness.NewWorker();
        _harness.Submit(1);
        var unit = Assert.Single(EngineHarness.Sent(worker).Units);
        _harness.Started(worker, unit.UnitId);
        CancelByToken(1);

        _harness.Killed(worker);

        Assert.Equal(ErrorKind.Canceled, Assert.Single(_harness.OutcomeOf(1).Errors).Error.Kind);
        var next = _harness.NewWorker();
        Assert.Empty(EngineHarness.Sent(next).Units);
    }

    [Fact]
    public void AnItemDoneOrUnknown_IsLeftAlone()
    {
        var worker = _harness.NewWorker();
        _harness.Submit(1);
        var unit = Assert.Single(EngineHarness.Sent(worker).Units);
        _harness.Finished(worker, unit.UnitId);

        CancelByToken(1);
        CancelByToken(99);

        Assert.Empty(EngineHarness.Sent(worker).TokenCancels);
        Assert.Empty(Assert.Single(_harness.Sink.Outcomes).Errors);
    }

    private void CancelByToken(ulong unitId) =>
        _harness.Engine.CancelByToken(_harness.Client, [new UnitIndex { UnitId = unitId, Index = 0 }]);
}
