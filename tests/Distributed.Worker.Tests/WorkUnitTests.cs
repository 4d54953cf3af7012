using Distributed.Protocol.V1;

namespace Distributed.Worker.Tests;

/// <summary>
/// A unit's items are started or canceled in one atomic step: a cancel that says yes means the
/// item never runs, however the two race. An item that must wait for its start to be recorded
/// runs only once it is, and gives up when the session ends.
/// </summary>
public sealed class WorkUnitTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public void StartAndCancelRacing_EachItemIsStartedOrCanceled_NeverBoth()
    {
        // A round in which one side finished before the other began tests nothing: go again, a few times at most.
        bool raced = false;
        for (int round = 0; round < 5 && !raced; round++)
        {
            raced = Race(items: 1_000_000);
        }

        Assert.True(raced, "starts and cancels never overlapped in 5 rounds");
    }

    /// <returns>True if each side won some items.</returns>
    private static bool Race(int items)
    {
        var unit = new WorkUnit(new CallUnit { UnitId = 1, Count = (uint)items });
        var started = new bool[items];
        var canceled = new bool[items];
        int ready = 0;
        void WaitForBoth()
        {
            Interlocked.Increment(ref ready);
            SpinWait.SpinUntil(() => Volatile.Read(ref ready) == 2, s_timeout);
        }

        var starter = Task.Factory.StartNew(
            () =>
            {
                WaitForBoth();
                for (int i = 0; i < items; i++)
                {
                    started[i] = unit.TryStart(i);
                }
            },
            TaskCreationOptions.LongRunning);
        var canceler = Task.Factory.StartNew(
            () =>
            {
                WaitForBoth();
                for (int i = items - 1; i >= 0; i--)
                {
                    canceled[i] = unit.TryCancel((uint)i);
                }
            },
            TaskCreationOptions.LongRunning);
        Assert.True(Task.WaitAll([starter, canceler], s_timeout), "the race did not finish");

        for (int i = 0; i < items; i++)
        {
            Assert.True(started[i] ^ canceled[i], $"item {i}: started {started[i]}, canceled {canceled[i]}");
        }

        return started.Contains(true) && canceled.Contains(true);
    }

    [Fact]
    public void Cancel_IsTrueAgainForACanceledItem_AndFalseForAStartedOneOrOneOutOfRange()
    {
        var unit = new WorkUnit(new CallUnit { UnitId = 1, Count = 3 });
        Assert.True(unit.TryStart(0));
        Assert.True(unit.TryCancel(1));

        Assert.False(unit.TryCancel(0));
        Assert.True(unit.TryCancel(1));
        Assert.False(unit.TryStart(1));
        Assert.False(unit.TryCancel(3));
    }

    [Fact]
    public void ItemsTheClientSettledItself_NeverStart()
    {
        var unit = new WorkUnit(new CallUnit { UnitId = 1, Count = 3, Skip = { 1 } });

        Assert.True(unit.TryStart(0));
        Assert.False(unit.TryStart(1));
        Assert.True(unit.TryStart(2));
    }

    [Fact]
    public void WaitForStart_ReturnsOnceTheStartIsConfirmed()
    {
        var unit = new WorkUnit(new CallUnit { UnitId = 1, Count = 2, ConfirmStart = true });
        using var session = new CancellationTokenSource();
        var waiting = Task.Run(() => unit.WaitForStart(1, session.Token));
        unit.ConfirmStart(0);
        Assert.False(waiting.Wait(TimeSpan.FromMilliseconds(50)), "item 1 ran on item 0's confirmation");

        unit.ConfirmStart(1);

        Assert.True(waiting.Wait(s_timeout), "the confirmed item did not run");
        Assert.True(waiting.Result);
    }

    [Fact]
    public void WaitForStart_GivesUpWhenTheSessionEnds()
    {
        var unit = new WorkUnit(new CallUnit { UnitId = 1, Count = 1, ConfirmStart = true });
        using var session = new CancellationTokenSource();
        var waiting = Task.Run(() => unit.WaitForStart(0, session.Token));

        session.Cancel();

        Assert.True(waiting.Wait(s_timeout), "the wait did not end with the session");
        Assert.False(waiting.Result);
    }
}
