using Distributed.Coordinator.Engine;
using Distributed.Coordinator.Wire;
using Distributed.Protocol.V1;

namespace Distributed.Coordinator.Tests;

/// <summary>What a worker holds: in assignment order, let go of in any order, and all of it at once when it is lost.</summary>
public sealed class EngineWorkerSessionTests
{
    private readonly EngineHarness _harness = new();

    [Fact]
    public void ReleaseInAnyOrder_KeepsTheRestInAssignmentOrder()
    {
        var worker = NewWorker(slots: 4);
        var units = Enumerable.Range(1, 4).Select(Unit).ToList();
        units.ForEach(worker.Hold);

        worker.Release(units[2]);
        worker.Release(units[0]);

        Assert.Equal([units[1], units[3]], worker.InFlight);
        Assert.False(worker.Holds(units[2]));
        Assert.True(worker.Holds(units[3]));
        Assert.Equal(2, worker.FreeSlots);
    }

    [Fact]
    public void ReleaseOfWhatItDoesNotHold_ChangesNothing()
    {
        var worker = NewWorker(slots: 2);
        var other = NewWorker(slots: 2);
        var held = Unit(1);
        var elsewhere = Unit(2);
        worker.Hold(held);
        other.Hold(elsewhere);

        worker.Release(elsewhere);
        worker.Release(held);
        worker.Release(held);

        Assert.Empty(worker.InFlight);
        Assert.True(other.Holds(elsewhere));
        Assert.Single(other.InFlight);
    }

    [Fact]
    public void ReleaseAll_ReturnsWhatItHeldInOrderAndHoldsNothingAfter()
    {
        var worker = NewWorker(slots: 2);
        var units = Enumerable.Range(1, 3).Select(Unit).ToList();
        units.ForEach(worker.Hold);

        var held = worker.ReleaseAll();

        Assert.Equal(units, held);
        Assert.Empty(worker.InFlight);
        Assert.All(units, unit => Assert.False(worker.Holds(unit)));
        Assert.Equal(0, worker.UnestimatedInFlight);
        Assert.Equal(2, worker.FreeSlots);
    }

    [Fact]
    public void EstimatedBacklog_FollowsWhatItHolds()
    {
        var worker = NewWorker(slots: 1);
        var measured = Unit(1);
        measured.EstimatedNanos = 1_000;
        var unmeasured = Unit(2);

        worker.Hold(measured);
        worker.Hold(unmeasured);
        Assert.Equal(1_000, worker.EstimatedNanosInFlight);
        Assert.Equal(1, worker.UnestimatedInFlight);

        worker.Release(unmeasured);
        Assert.Equal(0, worker.UnestimatedInFlight);
        worker.Release(measured);
        Assert.Equal(0, worker.EstimatedNanosInFlight);
    }

    [Fact]
    public void Memory_AsTheWorkerLastReportedIt_IsInTheStatus_AndUnknownUntilThen()
    {
        var worker = _harness.NewWorker();
        Assert.Equal(0ul, _harness.Engine.Status().Workers.Single().WorkingSetBytes);

        _harness.Engine.OnWorkerMessage(worker, new WorkerMessage { Heartbeat = true, Memory = new MemoryUsage { WorkingSetBytes = 300, ManagedHeapBytes = 20 } });
        _harness.Engine.OnWorkerMessage(worker, new WorkerMessage { Heartbeat = true });

        var status = _harness.Engine.Status().Workers.Single();
        Assert.Equal(300ul, status.WorkingSetBytes);
        Assert.Equal(20ul, status.ManagedHeapBytes);
    }

    private static WorkerSession NewWorker(int slots) =>
        new(new Register { WorkerId = "w", Host = "test", Pid = 1, Slots = (uint)slots }, _ => { }, new HearingClock(TimeProvider.System), 1 << 20);

    private UnitRecord Unit(int id) =>
        new((ulong)id, _harness.Client, new ForwardedUnit { UnitId = (ulong)id, FunctionId = _harness.Function, Count = 1 }, 16);
}
