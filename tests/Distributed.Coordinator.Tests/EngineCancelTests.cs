using Distributed.Protocol.V1;

namespace Distributed.Coordinator.Tests;

/// <summary>
/// Where a cancel goes, driven directly: a queued item is canceled at once and never sent; an item
/// a worker holds is asked of that worker, and the worker's word is the answer; a started one
/// stays; a withdrawal answers once every worker it asked has; a client that goes away has its
/// queue freed and its held items canceled on their workers; a closed one submits no more.
/// </summary>
public sealed class EngineCancelTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);
    private readonly EngineHarness _harness = new();

    [Fact]
    public void AQueuedItem_IsCanceledAtOnce_AndNeverGoesToAWorker()
    {
        _harness.Submit(1);

        var answer = _harness.Engine.CancelAsync(_harness.Client, 1, 0);

        Assert.True(answer.IsCompleted, "a queued item's cancel waited");
        Assert.True(answer.Result);

        var worker = _harness.NewWorker();
        Assert.Empty(EngineHarness.Sent(worker).Units);
        Assert.Equal(0UL, _harness.Engine.Status().QueuedItems);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void AnItemAWorkerHolds_IsAskedOfThatWorker_AndItsReplyIsTheAnswer(bool notStarted)
    {
        var (worker, unit) = HeldByAWorker(1);

        var answer = _harness.Engine.CancelAsync(_harness.Client, 1, 0);
        Assert.False(answer.IsCompleted);
        var request = Assert.Single(EngineHarness.Sent(worker).Cancels);
        Assert.Equal((unit.UnitId, 0U), (request.UnitId, request.Index));

        _harness.Engine.OnWorkerMessage(worker, new WorkerMessage { CancelReplies = { new CancelReply { RequestId = request.RequestId, Canceled = notStarted } } });

        Assert.True(answer.Wait(s_timeout), "the cancel was never answered");
        Assert.Equal(notStarted, answer.Result);
    }

    [Fact]
    public void AnItemItsWorkerReportedStarted_IsNotCanceled_AndTheWorkerIsNotAsked()
    {
        var (worker, unit) = HeldByAWorker(1);
        _harness.Started(worker, unit.UnitId);

        var answer = _harness.Engine.CancelAsync(_harness.Client, 1, 0);

        Assert.True(answer.IsCompleted);
        Assert.False(answer.Result);
        Assert.Empty(EngineHarness.Sent(worker).Cancels);
    }

    [Fact]
    public void AWithdrawal_CancelsWhatIsQueuedAtOnce_AndAnswersOnceTheWorkerHas()
    {
        var (worker, held) = HeldByAWorker(1);
        _harness.Submit(2);
        _harness.Submit(3);

        var withdrawn = _harness.Engine.Withdraw(_harness.Client, new Withdrawal { RequestId = 9, All = true });
        Assert.Equal(0UL, _harness.Engine.Status().QueuedItems);
        Assert.False(withdrawn.IsCompleted, "answered before the worker holding unit 1 was");

        var request = Assert.Single(EngineHarness.Sent(worker).Cancels);
        Assert.Equal(held.UnitId, request.UnitId);
        _harness.Engine.OnWorkerMessage(worker, new WorkerMessage { CancelReplies = { new CancelReply { RequestId = request.RequestId, Canceled = true } } });

        Assert.True(withdrawn.Wait(s_timeout), "the withdrawal was never answered");
        var answer = withdrawn.Result;
        Assert.Equal(9UL, answer.RequestId);
        Assert.Equal([2UL, 3UL], answer.UnitIds.Order());
        Assert.Equal((1UL, 0U), (Assert.Single(answer.Items).UnitId, answer.Items[0].Index));
    }

    [Fact]
    public void AWithdrawalWaitingOnAWorkerThatDies_IsAnsweredWithItsItemsQueuedAgainAndCanceled()
    {
        var (worker, _) = HeldByAWorker(1);
        var withdrawn = _harness.Engine.Withdraw(_harness.Client, new Withdrawal { RequestId = 1, All = true });

        _harness.Killed(worker);

        Assert.True(withdrawn.Wait(s_timeout), "a withdrawal waited on a dead worker");
        Assert.Equal((1UL, 0U), (Assert.Single(withdrawn.Result.Items).UnitId, withdrawn.Result.Items[0].Index));
        Assert.Equal(0UL, _harness.Engine.Status().QueuedItems);
    }

    [Fact]
    public void AClientThatWentAway_HasItsQueueFreed_AndItsHeldItemsCanceledOnTheirWorker()
    {
        var (worker, held) = HeldByAWorker(1);
        _harness.Submit(2);
        _harness.Submit(3);

        int canceled = _harness.Engine.DetachClient(_harness.Client);

        Assert.Equal(2, canceled);
        Assert.Equal(0UL, _harness.Engine.Status().QueuedItems);
        Assert.Equal(0U, _harness.Engine.Status().Clients);
        Assert.Equal(held.UnitId, Assert.Single(EngineHarness.Sent(worker).Cancels).UnitId);
    }

    [Fact]
    public void AClosedClient_SubmitsNoMore_ButWhatItQueuedStillRuns()
    {
        _harness.Submit(1);
        _harness.Engine.CloseClient(_harness.Client, cancelQueued: false);

        var refused = Assert.Throws<InvalidOperationException>(() => _harness.Submit(2));
        Assert.Contains("after shutdown", refused.Message, StringComparison.Ordinal);
        var worker = _harness.NewWorker();
        var unit = Assert.Single(EngineHarness.Sent(worker).Units);
        _harness.Finished(worker, unit.UnitId);
        Assert.Empty(_harness.OutcomeOf(1).Errors);
        Assert.True(_harness.Engine.WhenIdleAsync(_harness.Client).Wait(s_timeout));
    }

    /// <summary>Submits a unit and has a new worker take it (not yet started): the unit as the worker got it.</summary>
    private (Distributed.Coordinator.Engine.WorkerSession Worker, CallUnit Unit) HeldByAWorker(ulong unitId)
    {
        var worker = _harness.NewWorker();
        _harness.Submit(unitId);
        return (worker, Assert.Single(EngineHarness.Sent(worker).Units));
    }
}
