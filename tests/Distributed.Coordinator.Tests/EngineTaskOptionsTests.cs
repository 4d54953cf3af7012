using Distributed.Protocol.V1;

namespace Distributed.Coordinator.Tests;

/// <summary>
/// What a unit's TaskOptions ask of the engine, driven directly: priority across clients, a
/// worker held by an overdue task gets nothing sent ahead, retries of listed exceptions, and a
/// worker that recycles itself to stop a timed-out task.
/// </summary>
public sealed class EngineTaskOptionsTests
{
    private readonly EngineHarness _harness = new(maxRetries: 0);

    [Fact]
    public void Priority_OrdersTheQueue_AcrossClients_AndKeepsSubmissionOrderWithinOne()
    {
        // Both clients report to the one sink, so its outcomes are in the order the units ran.
        var otherClient = _harness.Engine.OpenClient("other", _harness.Sink);
        var worker = _harness.NewWorker(slots: 1);
        _harness.Submit(1);
        ulong running = Assert.Single(EngineHarness.Sent(worker).Units).UnitId;

        Submit(_harness.Client, 2, priority: 0);
        Submit(otherClient, 103, priority: 5);
        Submit(_harness.Client, 4, priority: -2);
        Submit(_harness.Client, 5, priority: 5);
        Submit(otherClient, 106, priority: 0);
        // Finished in the order the worker was given them (one at a time, or pipelined, as the engine chooses).
        var given = new Queue<ulong>([running]);
        for (int finished = 0; finished < 6; finished++)
        {
            _harness.Finished(worker, given.Dequeue());
            foreach (var unit in EngineHarness.Sent(worker).Units)
            {
                given.Enqueue(unit.UnitId);
            }
        }

        Assert.Equal([1UL, 103UL, 5UL, 2UL, 106UL, 4UL], _harness.Sink.Outcomes.Select(o => o.UnitId));
    }

    [Fact]
    public void AnOverdueUnit_StopsWorkBeingSentAheadOfIt()
    {
        var worker = _harness.NewWorker(slots: 1);
        _harness.Submit(1);
        var first = Assert.Single(EngineHarness.Sent(worker).Units);
        _harness.Engine.OnWorkerMessage(worker, new WorkerMessage { Outcomes = { new UnitOutcome { UnitId = first.UnitId, RunNanos = 10_000 } } });

        _harness.Submit(2);
        _harness.Submit(3);
        Assert.Equal(2, EngineHarness.Sent(worker).Units.Count);

        // Unit 2 has now run a second, where ten microseconds were expected: nothing more goes behind it.
        _harness.Clock.Advance(TimeSpan.FromSeconds(1));
        _harness.Submit(4);
        Assert.Empty(EngineHarness.Sent(worker).Units);
        Assert.Equal(1UL, _harness.Engine.Status().QueuedItems);
    }

    [Fact]
    public void RetryableError_WithRetriesLeft_RunsTheItemAgain_AndTheClientHearsOnlyTheLastOutcome()
    {
        var worker = _harness.NewWorker(slots: 1);
        SubmitWithRetries(1, maxRetries: 1);
        _harness.Submit(2);
        var unit = Assert.Single(EngineHarness.Sent(worker).Units);

        Fail(worker, unit.UnitId, retryable: true, "attempt 1");

        // Back first in its lane, ahead of unit 2 which was queued before the retry.
        Assert.Equal(unit.UnitId, Units(worker)[0]);
        Assert.DoesNotContain(_harness.Sink.Outcomes, o => o.Errors.Count > 0);

        Fail(worker, unit.UnitId, retryable: true, "attempt 2");

        var error = Assert.Single(_harness.Sink.Outcomes.SelectMany(o => o.Errors));
        Assert.Equal("attempt 2", error.Error.Message);
        Assert.Empty(EngineHarness.Sent(worker).Units);
        Assert.Equal(0UL, _harness.Engine.Status().QueuedItems);
    }

    [Fact]
    public void ErrorNotMarkedRetryable_IsTheOutcome_EvenWithRetriesLeft()
    {
        var worker = _harness.NewWorker(slots: 1);
        SubmitWithRetries(1, maxRetries: 3);
        var unit = Assert.Single(EngineHarness.Sent(worker).Units);

        Fail(worker, unit.UnitId, retryable: false, "not listed");

        Assert.Equal("not listed", Assert.Single(_harness.Sink.Outcomes.SelectMany(o => o.Errors)).Error.Message);
        Assert.Empty(EngineHarness.Sent(worker).Units);
    }

    [Fact]
    public void Recycling_FailsTheTimedOutItem_AndRunsTheRestElsewhere_ChargingNoRetry()
    {
        var doomed = _harness.NewWorker(slots: 2);
        _harness.Submit(1);
        _harness.Submit(2);
        var held = EngineHarness.Sent(doomed).Units.Select(u => u.UnitId).ToList();
        Assert.Equal(2, held.Count);

        _harness.Engine.OnWorkerMessage(doomed, new WorkerMessage
        {
            Recycling = new Recycling
            {
                UnitId = held[0],
                Error = new ErrorInfo { Type = "System.TimeoutException", Message = "Tasks.Run ran longer than its timeout of 1 s (TaskOptions.Timeout)." },
            },
        });

        var timedOut = Assert.Single(_harness.Sink.Outcomes.SelectMany(o => o.Errors));
        Assert.Equal(ErrorKind.Timeout, timedOut.Error.Kind);
        Assert.Equal("w1", timedOut.Error.WorkerId);
        Assert.DoesNotContain(_harness.Engine.Status().Workers, w => w.WorkerId == "w1");

        // The harness allows no retries for a worker's death: the other unit runs again all the same.
        var next = _harness.NewWorker(slots: 1);
        Assert.Equal([held[1]], EngineHarness.Sent(next).Units.Select(u => u.UnitId));
    }

    private void Submit(Distributed.Coordinator.Engine.ClientSession client, ulong unitId, int priority) =>
        _harness.Engine.Submit(client, new CallUnit { UnitId = unitId, FunctionId = _harness.Function, Count = 1, Options = new TaskOptions { Priority = priority } });

    private void SubmitWithRetries(ulong unitId, uint maxRetries) =>
        _harness.Engine.Submit(_harness.Client, new CallUnit
        {
            UnitId = unitId,
            FunctionId = _harness.Function,
            Count = 1,
            Options = new TaskOptions { MaxRetries = maxRetries, RetryOn = { "System.InvalidOperationException" } },
        });

    private void Fail(Distributed.Coordinator.Engine.WorkerSession worker, ulong unitId, bool retryable, string message) =>
        _harness.Engine.OnWorkerMessage(worker, new WorkerMessage
        {
            Outcomes =
            {
                new UnitOutcome
                {
                    UnitId = unitId,
                    Errors = { new ItemError { Index = 0, Error = new ErrorInfo { Kind = ErrorKind.Task, Type = "System.InvalidOperationException", Message = message, Retryable = retryable } } },
                },
            },
        });

    private static List<ulong> Units(Distributed.Coordinator.Engine.WorkerSession worker) =>
        [.. EngineHarness.Sent(worker).Units.Select(u => u.UnitId)];
}
