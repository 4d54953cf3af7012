using Distributed.Protocol;
using Distributed.Protocol.V1;
using Microsoft.Extensions.Time.Testing;

namespace Distributed.Worker.Tests;

/// <summary>The heartbeat interval is measured on the worker's clock: on a fake one, a quiet worker's heartbeat is due exactly when the clock says.</summary>
public sealed class OutboxClockTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task QuietOutbox_IsDueAHeartbeat_WhenItsClockPassesTheInterval()
    {
        var clock = new FakeTimeProvider();
        var outbox = new Outbox(ProtocolInfo.DefaultMaxMessageBytes, clock);

        var wait = outbox.WaitAsync(TimeSpan.FromSeconds(1), CancellationToken.None);
        clock.Advance(TimeSpan.FromMilliseconds(999));
        Assert.False(wait.IsCompleted, "the heartbeat came before its interval");
        clock.Advance(TimeSpan.FromMilliseconds(1));

        Assert.False(await wait.WaitAsync(s_timeout), "a quiet interval reported something to send");
        Assert.True(outbox.Take(heartbeat: true)!.Heartbeat);
    }

    [Fact]
    public async Task OutcomeDuringAFakeInterval_EndsTheWaitAtOnce_AndATimedOutWaitTakesNoLaterSignal()
    {
        var clock = new FakeTimeProvider();
        var outbox = new Outbox(ProtocolInfo.DefaultMaxMessageBytes, clock);
        var timedOut = outbox.WaitAsync(TimeSpan.FromSeconds(1), CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.False(await timedOut.WaitAsync(s_timeout));

        var wait = outbox.WaitAsync(TimeSpan.FromHours(1), CancellationToken.None);
        outbox.AddOutcome(new UnitOutcome { UnitId = 5 }, size: 10);

        Assert.True(await wait.WaitAsync(s_timeout), "the outcome did not wake the sender");
        Assert.Equal(5ul, outbox.Take(heartbeat: false)!.Outcomes.Single().UnitId);
    }

    [Fact]
    public async Task CanceledWait_OnAFakeClock_EndsCanceled()
    {
        var outbox = new Outbox(ProtocolInfo.DefaultMaxMessageBytes, new FakeTimeProvider());
        using var stop = new CancellationTokenSource();
        var wait = outbox.WaitAsync(TimeSpan.FromHours(1), stop.Token);
        await stop.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait.WaitAsync(s_timeout));
    }

    [Fact]
    public void Memory_RidesAlongTheFirstMessage_ThenOnlyOncePerPeriodOfItsClock()
    {
        var clock = new FakeTimeProvider();
        var outbox = new Outbox(ProtocolInfo.DefaultMaxMessageBytes, clock);

        var first = outbox.Take(heartbeat: true)!;
        outbox.AddOutcome(new UnitOutcome { UnitId = 1 }, size: 10);
        var soon = outbox.Take(heartbeat: false)!;
        clock.Advance(TimeSpan.FromSeconds(2));
        var later = outbox.Take(heartbeat: true)!;

        Assert.NotNull(first.Memory);
        Assert.True(first.Memory.WorkingSetBytes > 0, "no working set reported");
        Assert.True(first.Memory.ManagedHeapBytes > 0, "no managed heap reported");
        Assert.Null(soon.Memory);
        Assert.NotNull(later.Memory);
    }
}
