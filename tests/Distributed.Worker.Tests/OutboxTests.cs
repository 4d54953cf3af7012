using Distributed.Protocol;
using Distributed.Protocol.V1;

namespace Distributed.Worker.Tests;

/// <summary>
/// The outbox is the worker's batching: what piles up while one message is written leaves together
/// in the next, a burst signals the sender once, and no message grows past the stream's limit.
/// </summary>
public sealed class OutboxTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task OutcomesAddedTogether_LeaveInOneMessage_AfterOneSignal()
    {
        var outbox = new Outbox(ProtocolInfo.DefaultMaxMessageBytes, TimeProvider.System);
        for (ulong unit = 1; unit <= 100; unit++)
        {
            outbox.AddOutcome(new UnitOutcome { UnitId = unit }, size: 10);
        }

        Assert.True(await outbox.WaitAsync(s_timeout, CancellationToken.None));
        var message = outbox.Take(heartbeat: false);

        Assert.Equal(Enumerable.Range(1, 100).Select(i => (ulong)i), message!.Outcomes.Select(o => o.UnitId));
        Assert.False(message.Heartbeat);
        Assert.False(outbox.HasOutcomes);
        Assert.False(await outbox.WaitAsync(TimeSpan.FromMilliseconds(20), CancellationToken.None), "one burst signaled twice");
    }

    [Fact]
    public async Task OutcomesBeyondTheMessageLimit_WaitForTheNextMessage_WhichIsSignaled()
    {
        int limit = ProtocolInfo.MinMaxMessageBytes;
        int size = limit / 4;
        var outbox = new Outbox(limit, TimeProvider.System);
        for (ulong unit = 1; unit <= 6; unit++)
        {
            outbox.AddOutcome(new UnitOutcome { UnitId = unit }, size);
        }

        await outbox.WaitAsync(s_timeout, CancellationToken.None);
        var first = outbox.Take(heartbeat: false)!;
        Assert.True(await outbox.WaitAsync(s_timeout, CancellationToken.None), "what was left over was not signaled");
        var second = outbox.Take(heartbeat: false)!;

        Assert.InRange(first.Outcomes.Count, 1, 3);
        Assert.True(ProtocolInfo.MessageOverheadBytes + (first.Outcomes.Count * (size + 8)) <= limit, $"{first.Outcomes.Count} outcomes of {size} bytes exceed {limit}");
        Assert.Equal(Enumerable.Range(1, 6).Select(i => (ulong)i), first.Outcomes.Concat(second.Outcomes).Select(o => o.UnitId));
    }

    [Fact]
    public void AnOutcomeLargerThanTheLimitByItself_StillLeaves_Alone()
    {
        var outbox = new Outbox(ProtocolInfo.MinMaxMessageBytes, TimeProvider.System);
        outbox.AddOutcome(new UnitOutcome { UnitId = 1 }, ProtocolInfo.MinMaxMessageBytes * 2);
        outbox.AddOutcome(new UnitOutcome { UnitId = 2 }, 10);

        Assert.Equal([1UL], outbox.Take(heartbeat: false)!.Outcomes.Select(o => o.UnitId));
        Assert.Equal([2UL], outbox.Take(heartbeat: false)!.Outcomes.Select(o => o.UnitId));
    }

    [Fact]
    public void Progress_IsSentUnlessTheOutcomeAlreadySaysIt()
    {
        var outbox = new Outbox(ProtocolInfo.DefaultMaxMessageBytes, TimeProvider.System);
        outbox.ReportProgress(unitId: 1, index: 0);
        outbox.ReportProgress(unitId: 2, index: 0);
        outbox.ReportProgress(unitId: 2, index: 5);
        outbox.AddOutcome(new UnitOutcome { UnitId = 1 }, 10);

        var message = outbox.Take(heartbeat: false)!;

        var progress = Assert.Single(message.Progress);
        Assert.Equal((2UL, 5U), (progress.UnitId, progress.StartedIndex));
    }

    [Fact]
    public void NothingToSay_IsNoMessage_UnlessAHeartbeatIsDue()
    {
        var outbox = new Outbox(ProtocolInfo.DefaultMaxMessageBytes, TimeProvider.System);

        Assert.Null(outbox.Take(heartbeat: false));
        Assert.True(outbox.Take(heartbeat: true)!.Heartbeat);
    }

    [Fact]
    public void CancelRepliesAndAFailedInitializer_GoOutOnce()
    {
        var outbox = new Outbox(ProtocolInfo.DefaultMaxMessageBytes, TimeProvider.System);
        outbox.AddCancelReply(new CancelReply { RequestId = 7, Canceled = true });
        outbox.SetInitializerFailed(new InitializerFailed { Error = new ErrorInfo { Message = "boom" } });

        var message = outbox.Take(heartbeat: false)!;
        Assert.Equal(7UL, Assert.Single(message.CancelReplies).RequestId);
        Assert.Equal("boom", message.InitializerFailed.Error.Message);
        Assert.Null(outbox.Take(heartbeat: false));
    }
}
