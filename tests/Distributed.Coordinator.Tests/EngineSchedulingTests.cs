using Distributed.Protocol.V1;

namespace Distributed.Coordinator.Tests;

/// <summary>
/// How the engine hands out work, driven directly: oldest first; a call it has never measured
/// only into a free slot, short measured calls pipelined behind running ones, long ones not;
/// work back from a dead worker ahead of everything; a worker replaced after its task budget.
/// </summary>
public sealed class EngineSchedulingTests
{
    private readonly EngineHarness _harness = new();

    [Fact]
    public void ACallNeverMeasured_GoesOnlyIntoAFreeSlot()
    {
        _harness.Submit(1);
        _harness.Submit(2);
        var worker = _harness.NewWorker(slots: 1);

        Assert.Equal([1UL], Units(worker));
        Assert.Equal(1UL, _harness.Engine.Status().QueuedItems);
    }

    [Fact]
    public void ShortMeasuredCalls_ArePipelinedBehindRunningOnes()
    {
        var worker = WorkerThatRanOneCall(runNanos: 10_000);

        for (ulong unit = 2; unit <= 5; unit++)
        {
            _harness.Submit(unit);
        }

        // Ten microseconds each: all four fit the backlog a slot may hold.
        Assert.Equal(4, EngineHarness.Sent(worker).Units.Count);
        Assert.Equal(0UL, _harness.Engine.Status().QueuedItems);
    }

    [Fact]
    public void LongMeasuredCalls_WaitForAFreeSlot()
    {
        var worker = WorkerThatRanOneCall(runNanos: 50_000_000);

        _harness.Submit(2);
        _harness.Submit(3);

        // Fifty milliseconds each: more than a slot's backlog may hold, so one at a time.
        Assert.Single(EngineHarness.Sent(worker).Units);
        Assert.Equal(1UL, _harness.Engine.Status().QueuedItems);
    }

    [Fact]
    public void WorkBackFromADeadWorker_RunsBeforeLaterWork()
    {
        var doomed = _harness.NewWorker(slots: 1);
        _harness.Submit(1);
        var one = Assert.Single(EngineHarness.Sent(doomed).Units);
        _harness.Submit(2);
        _harness.Submit(3);

        _harness.Killed(doomed);
        var next = _harness.NewWorker(slots: 1);

        var retried = Assert.Single(EngineHarness.Sent(next).Units);
        Assert.Equal(one.UnitId, retried.UnitId);
        Assert.True(retried.ConfirmStart, "a unit whose worker died runs isolated, its start confirmed");
        Assert.Equal(2UL, _harness.Engine.Status().QueuedItems);
    }

    [Fact]
    public void AWorkerThatUsedItsTaskBudget_IsDrained_AndGetsNoMore()
    {
        var harness = new EngineHarness(maxTasksPerWorker: 2);
        var worker = harness.NewWorker(slots: 1);
        for (ulong unit = 1; unit <= 3; unit++)
        {
            harness.Submit(unit);
        }

        for (int i = 0; i < 2; i++)
        {
            var unit = Assert.Single(EngineHarness.Sent(worker).Units);
            harness.Finished(worker, unit.UnitId);
        }

        var last = EngineHarness.Sent(worker);
        Assert.True(last.Drain, "the worker was not told to leave after its budget");
        Assert.Empty(last.Units);
        Assert.Equal(1UL, harness.Engine.Status().QueuedItems);
    }

    /// <summary>A one-slot worker that has run unit 1, which took <paramref name="runNanos"/>: the function is measured.</summary>
    private Distributed.Coordinator.Engine.WorkerSession WorkerThatRanOneCall(ulong runNanos)
    {
        var worker = _harness.NewWorker(slots: 1);
        _harness.Submit(1);
        var first = Assert.Single(EngineHarness.Sent(worker).Units);
        Finish(worker, first.UnitId, runNanos);
        return worker;
    }

    private static List<ulong> Units(Distributed.Coordinator.Engine.WorkerSession worker) =>
        [.. EngineHarness.Sent(worker).Units.Select(u => u.UnitId)];

    private void Finish(Distributed.Coordinator.Engine.WorkerSession worker, ulong unitId, ulong runNanos) =>
        _harness.Engine.OnWorkerMessage(worker, new WorkerMessage { Outcomes = { new UnitOutcome { UnitId = unitId, RunNanos = runNanos } } });
}
