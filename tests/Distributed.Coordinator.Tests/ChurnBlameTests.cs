using Distributed.Coordinator.Engine;
using Distributed.Protocol.V1;

namespace Distributed.Coordinator.Tests;

/// <summary>
/// Poison or churn, decided by the engine from the deaths it sees (driven directly, on a fake
/// clock): a task whose worker dies under it with nothing else going on uses up its retries; one
/// whose workers die while other workers are being killed from outside (their tasks ran to their
/// end elsewhere) is not charged for those deaths, but still fails, later, if the deaths go on.
/// </summary>
public sealed class ChurnBlameTests
{
    private const int MaxRetries = 2;

    private readonly EngineHarness _harness = new(maxRetries: MaxRetries);
    private int _workers;

    private RecordingSink Sink => _harness.Sink;

    [Fact]
    public void DeathsWithNothingElseDying_UseUpTheRetries_AndTheErrorListsEachAttempt()
    {
        Submit(1);

        for (int death = 1; death <= MaxRetries + 1; death++)
        {
            Assert.Empty(Sink.Outcomes);
            KillWhileRunning();
        }

        var error = WorkerLostError(1);
        Assert.Equal((uint)(MaxRetries + 1), error.Attempts);
        Assert.Contains($"on each of its {MaxRetries + 1} attempts (1 + {MaxRetries} retries)", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not counted", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DeathsWhileAnotherWorkerDiedUnderTasksThatThenRan_AreNotCounted_AndTheTaskRunsToItsEnd()
    {
        ShowWorkersDyingFromOutside(unitId: 100);
        Submit(1);

        for (int death = 1; death <= 2 * (MaxRetries + 1); death++)
        {
            KillWhileRunning();
        }

        Assert.Empty(Sink.Outcomes);
        Finish(RunOnNewWorker());
        var outcome = Assert.Single(Sink.Outcomes, o => o.UnitId == 1);
        Assert.Empty(outcome.Errors);
    }

    [Fact]
    public void UnderChurnThatNeverStops_APoisonTaskStillFails_WithTheUncountedDeathsListed()
    {
        ShowWorkersDyingFromOutside(unitId: 100);
        Submit(1);

        int deaths = 0;
        while (Sink.Outcomes.All(o => o.UnitId != 1))
        {
            Assert.True(++deaths <= 3 * (MaxRetries + 1), $"still not failed after {deaths - 1} deaths");
            KillWhileRunning();
        }

        var error = WorkerLostError(1);
        Assert.Equal(3 * (MaxRetries + 1), deaths);
        Assert.Equal((uint)deaths, error.Attempts);
        Assert.Contains($"({MaxRetries + 1} counted against 1 + {MaxRetries} retries", error.Message, StringComparison.Ordinal);
        Assert.Contains("what it ran has since run to its end elsewhere", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EvidenceOfChurnGrowsOld_ThenDeathsCountAgain()
    {
        ShowWorkersDyingFromOutside(unitId: 100);
        _harness.Clock.Advance(TimeSpan.FromSeconds(11));
        Submit(1);

        for (int death = 1; death <= MaxRetries + 1; death++)
        {
            KillWhileRunning();
        }

        Assert.Equal((uint)(MaxRetries + 1), WorkerLostError(1).Attempts);
    }

    [Fact]
    public void AWorkerKilledBeforeItRegistered_IsEvidenceOfChurn()
    {
        _harness.Engine.NoteOutsideDeath("worker process 7 ended with exit code 137 (signal 9, SIGKILL) before registering");
        Submit(1);

        for (int death = 1; death <= MaxRetries + 2; death++)
        {
            KillWhileRunning();
        }

        Assert.Empty(Sink.Outcomes);
    }

    [Fact]
    public void AWorkerThatDiedUnderAPoisonTask_IsNoEvidenceForAnother()
    {
        // Two poison tasks: each one's deaths show nothing about the other's, since neither ever ran to its end.
        Submit(1);
        Submit(2);
        while (Sink.Outcomes.Count < 2)
        {
            Assert.True(_workers < 2 * 3 * (MaxRetries + 1), "the poison tasks were retried too often");
            KillWhileRunning();
        }

        Assert.Equal((uint)(MaxRetries + 1), WorkerLostError(1).Attempts);
        Assert.Equal((uint)(MaxRetries + 1), WorkerLostError(2).Attempts);
    }

    /// <summary>A worker dies under a unit that then runs to its end on another worker: that death came from outside.</summary>
    private void ShowWorkersDyingFromOutside(ulong unitId)
    {
        Submit(unitId);
        KillWhileRunning();
        Finish(RunOnNewWorker());
        Assert.Single(Sink.Outcomes, o => o.UnitId == unitId && o.Errors.Count == 0);
        Sink.Outcomes.Clear();
    }

    private void Submit(ulong unitId) => _harness.Submit(unitId);

    /// <summary>A new worker takes the next unit and starts it (its start confirmed), and is killed.</summary>
    private void KillWhileRunning()
    {
        var (worker, _) = RunOnNewWorker();
        _harness.Killed(worker);
    }

    /// <summary>Registers a worker; it takes the first unit it is given and reports it started.</summary>
    private (WorkerSession Worker, ulong UnitId) RunOnNewWorker()
    {
        _workers++;
        var worker = _harness.NewWorker();
        var unit = Assert.Single(EngineHarness.Sent(worker).Units);
        _harness.Started(worker, unit.UnitId);
        return (worker, unit.UnitId);
    }

    /// <summary>The worker sends the unit's outcome, then leaves (so the next unit goes to a new worker).</summary>
    private void Finish((WorkerSession Worker, ulong UnitId) run)
    {
        _harness.Finished(run.Worker, run.UnitId);
        _harness.Leaves(run.Worker);
    }

    private ErrorInfo WorkerLostError(ulong unitId)
    {
        var outcome = Assert.Single(Sink.Outcomes, o => o.UnitId == unitId);
        var error = Assert.Single(outcome.Errors).Error;
        Assert.Equal(ErrorKind.WorkerLost, error.Kind);
        return error;
    }
}
