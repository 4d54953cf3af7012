using Distributed.Coordinator.Dashboard;
using Distributed.Protocol.V1;
using Microsoft.Extensions.Time.Testing;

namespace Distributed.Coordinator.Tests;

/// <summary>What the engine keeps for the dashboard: finished units, failures as the worker sent them, and per-second throughput, all bounded.</summary>
public sealed class EngineDashboardViewTests
{
    private readonly EngineHarness _harness = new();

    [Fact]
    public void FinishedUnits_AndFailures_AreJournaled_WithTheirWorkerFunctionAndRemoteStackTrace()
    {
        var worker = _harness.NewWorker(slots: 2);
        _harness.Submit(1);
        _harness.Submit(2);
        _harness.Clock.Advance(TimeSpan.FromSeconds(1));
        var error = new ErrorInfo { Kind = ErrorKind.Task, Type = "System.InvalidOperationException", Message = "boom", StackTrace = "   at Tasks.Run()" };
        _harness.Engine.OnWorkerMessage(worker, new WorkerMessage
        {
            Outcomes =
            {
                new UnitOutcome { UnitId = 1, RunNanos = 2_000_000 },
                new UnitOutcome { UnitId = 2, Errors = { new ItemError { Index = 0, Error = error } } },
            },
        });

        var view = _harness.Engine.DashboardView();

        Assert.Equal(2, view.Journal.Runs.Length);
        var ok = Assert.Single(view.Journal.Runs, r => r.Failed == 0);
        Assert.Equal(("w1", "Tasks.Run", "test", 1), (ok.WorkerId, ok.Function, ok.ClientId, ok.Items));
        Assert.Equal(TimeSpan.FromMilliseconds(2), ok.Duration);
        var failure = Assert.Single(view.Journal.Failures);
        Assert.Same(error, failure.Error);
        Assert.Equal("w1", failure.WorkerId);
        Assert.Equal(2, view.Journal.Seconds[^1].Completed);
        Assert.Equal(1, view.Journal.Seconds[^1].Failed);

        var json = DashboardSnapshot.From(view);
        Assert.Equal("   at Tasks.Run()", Assert.Single(json.Failures).StackTrace);
        Assert.Equal("exception", json.Failures[0].Kind);
        Assert.Equal("test", Assert.Single(json.Clients).Id);
    }

    [Fact]
    public void Journal_KeepsOnlyTheLatest_NewestFirst()
    {
        var worker = _harness.NewWorker();
        for (ulong unit = 1; unit <= TaskJournal.RunCapacity + 5; unit++)
        {
            _harness.Submit(unit);
            _harness.Finished(worker, unit);
        }

        var runs = _harness.Engine.DashboardView().Journal.Runs;

        Assert.Equal(TaskJournal.RunCapacity, runs.Length);
        Assert.Equal((ulong)TaskJournal.RunCapacity + 5, runs[0].UnitId);
        Assert.Equal(6ul, runs[^1].UnitId);
    }

    [Fact]
    public void Throughput_IsPerSecond_OverAWindow_AndAnUnsampledSecondKeepsTheLastQueueDepth()
    {
        var clock = new FakeTimeProvider();
        var history = new ThroughputHistory(clock, seconds: 3);
        history.Count(2, 1);
        history.Sample(queued: 7, running: 1);
        clock.Advance(TimeSpan.FromSeconds(1));
        history.Count(1, 0);
        clock.Advance(TimeSpan.FromSeconds(1));

        var seconds = history.Copy();
        Assert.Equal([2, 1, 0], seconds.Select(s => s.Completed));
        Assert.Equal([7ul, 7ul, 7ul], seconds.Select(s => s.Queued));

        clock.Advance(TimeSpan.FromSeconds(10));
        history.Sample(queued: 0, running: 0);
        Assert.Equal([0, 0, 0], history.Copy().Select(s => s.Completed));
    }

    [Fact]
    public void FailuresTheCoordinatorDecides_AreJournaled()
    {
        var worker = _harness.NewWorker();
        _harness.Submit(1);
        _harness.Submit(2);
        _harness.Killed(worker);
        _harness.Engine.Break(new ErrorInfo { Kind = ErrorKind.Broken, Message = "no worker can start" });

        var failures = _harness.Engine.DashboardView().Journal.Failures;
        Assert.Equal(2, failures.Length);
        Assert.All(failures, f => Assert.Equal("no worker can start", f.Error.Message));
        Assert.Equal([1ul, 2ul], failures.Select(f => f.UnitId).Order());
    }
}
