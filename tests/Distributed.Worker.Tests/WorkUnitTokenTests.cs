using Distributed.Protocol.V1;

namespace Distributed.Worker.Tests;

/// <summary>An item's CancellationToken on the worker: signaled while it runs; an item whose client canceled its token first does not start.</summary>
public sealed class WorkUnitTokenTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public void CancelWhileRunning_SignalsTheRunningItemsToken()
    {
        var unit = new WorkUnit(new CallUnit { UnitId = 1, Count = 2 });
        Assert.True(unit.TryStartToken(0, out var token));
        var signaled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = token.Register(signaled.SetResult);

        unit.CancelToken(0);

        Assert.True(signaled.Task.Wait(s_timeout), "the running item's token was never signaled");
        unit.EndToken();
    }

    [Fact]
    public void CancelOfAnotherItem_LeavesTheRunningOneAlone_AndThatOneDoesNotStart()
    {
        var unit = new WorkUnit(new CallUnit { UnitId = 1, Count = 2 });
        Assert.True(unit.TryStartToken(0, out var first));

        unit.CancelToken(1);

        Assert.False(first.IsCancellationRequested);
        unit.EndToken();
        Assert.False(unit.TryStartToken(1, out _));
    }

    [Fact]
    public void CancelAfterTheItemEnded_DoesNothingToTheNextItem()
    {
        var unit = new WorkUnit(new CallUnit { UnitId = 1, Count = 2 });
        Assert.True(unit.TryStartToken(0, out _));
        unit.EndToken();

        unit.CancelToken(0);

        Assert.True(unit.TryStartToken(1, out var next));
        Assert.False(next.IsCancellationRequested);
        unit.EndToken();
    }
}
