using Distributed.Futures;
using Distributed.Testing;

namespace Distributed.Coordinator.Tests;

/// <summary>
/// Faults the process pool survives: a dead worker fails at most its own task (after retries), a
/// replacement starts, and no future waits forever. The pool breaks only when workers cannot start.
/// </summary>
public sealed class ProcessPoolFaultTests
{
    private static readonly TimeSpan Timeout = TestTimeouts.Default;

    [Fact]
    public void WorkerKilledMidTask_TheTaskRunsAgainOnAReplacement()
    {
        using var pool = new ProcessPoolExecutor(maxWorkers: 1);
        using var gate = new TaskGate();
        var future = pool.Submit(TestTasks.ProcessIdAfterGate, gate.Port);
        gate.WaitForArrivals(1);
        int first = Assert.Single(pool.WorkerProcessIds);

        ProcessTable.Signal(first, "KILL");

        gate.WaitForArrivals(2);
        gate.Open();
        int second = future.Result(Timeout);
        Assert.NotEqual(first, second);
        Assert.Equal(second, pool.Submit(TestTasks.CurrentProcessId).Result(Timeout));
    }

    [Fact]
    public void CtrlCReachingAWorker_LeavesItRunningItsTask_ForTheProgramThatOwnsThePool()
    {
        // A terminal's Ctrl+C signals the whole foreground process group, workers included.
        using var pool = new ProcessPoolExecutor(maxWorkers: 1);
        using var gate = new TaskGate();
        var future = pool.Submit(TestTasks.ProcessIdAfterGate, gate.Port);
        gate.WaitForArrivals(1);
        int worker = Assert.Single(pool.WorkerProcessIds);

        ProcessTable.Signal(worker, "INT");
        gate.Open();

        Assert.Equal(worker, future.Result(Timeout));
        Assert.Equal(worker, pool.Submit(TestTasks.CurrentProcessId).Result(Timeout));
        Assert.Equal(1, gate.Arrivals);
    }

    [Fact]
    public void WorkerKilledMidTaskWithoutRetries_ThatFutureAloneFailsWithWorkerLost()
    {
        using var pool = new ProcessPoolExecutor(new ProcessPoolOptions { MaxWorkers = 1, MaxRetries = 0 });
        using var gate = new TaskGate();
        var doomed = pool.Submit(TestTasks.ProcessIdAfterGate, gate.Port);
        gate.WaitForArrivals(1);
        var queuedBehind = pool.Submit(TestTasks.Square, 6);

        ProcessTable.Signal(Assert.Single(pool.WorkerProcessIds), "KILL");

        var error = Assert.Throws<WorkerLostException>(() => doomed.Result(Timeout));
        Assert.Contains("died", error.Message, StringComparison.Ordinal);
        Assert.Equal(36, queuedBehind.Result(Timeout));
        Assert.Equal(49, pool.Submit(TestTasks.Square, 7).Result(Timeout));
        Assert.Equal(1, gate.Arrivals);
    }

    [Fact]
    public void TaskCallsEnvironmentExit_RetriesThenWorkerLost_AndThePoolKeepsWorking()
    {
        using var pool = new ProcessPoolExecutor(new ProcessPoolOptions { MaxWorkers = 2, MaxRetries = 1 });

        var exiting = pool.Submit(ProcessTasks.ExitProcess, 7);
        var others = Enumerable.Range(0, 20).Select(i => pool.Submit(TestTasks.Square, i)).ToList();

        Assert.Throws<WorkerLostException>(() => exiting.Result(Timeout));
        Assert.Equal(Enumerable.Range(0, 20).Select(i => i * i), others.Select(f => f.Result(Timeout)));
        Assert.Equal(4, pool.Submit(TestTasks.Square, 2).Result(Timeout));
    }

    [Fact]
    public void WorkerStopsHeartbeating_ItsTaskRunsElsewhereAndTheProcessIsReplaced()
    {
        var options = new ProcessPoolOptions
        {
            MaxWorkers = 1,
            HeartbeatInterval = TimeSpan.FromMilliseconds(100),
            HeartbeatTimeout = TimeSpan.FromSeconds(1),
        };
        using var pool = new ProcessPoolExecutor(options);
        using var gate = new TaskGate();
        var future = pool.Submit(TestTasks.ProcessIdAfterGate, gate.Port);
        gate.WaitForArrivals(1);
        int frozen = Assert.Single(pool.WorkerProcessIds);

        // A stopped process keeps its socket open: only the missing heartbeats give it away.
        ProcessTable.Signal(frozen, "STOP");
        try
        {
            gate.WaitForArrivals(2);
            gate.Open();
            Assert.NotEqual(frozen, future.Result(Timeout));
            ProcessTable.WaitUntilGone([frozen], "the frozen worker");
        }
        finally
        {
            ProcessTable.Signal(frozen, "CONT");
        }
    }

    [Fact]
    public void WorkerProgramMissing_PendingFuturesAndSubmitsFailWithBrokenProcessPool()
    {
        using var pool = new ProcessPoolExecutor(new ProcessPoolOptions { MaxWorkers = 1, WorkerProgramPath = "/nonexistent/worker.dll" });

        var future = pool.Submit(TestTasks.NoOp);

        var error = Assert.Throws<BrokenProcessPoolException>(() => future.Result(Timeout));
        Assert.Contains("/nonexistent/worker.dll", error.Message, StringComparison.Ordinal);
        Assert.Throws<BrokenProcessPoolException>(() => pool.Submit(TestTasks.NoOp));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TerminateOrKillWorkers_RunningFailQueuedAreCanceledAndNoWorkerSurvives(bool kill)
    {
        var pool = new ProcessPoolExecutor(maxWorkers: 1);
        using var gate = new TaskGate();
        var running = pool.Submit(TestTasks.PassGate, gate.Port, 1);
        gate.WaitForArrivals(1);
        var queued = Enumerable.Range(0, 10).Select(i => pool.Submit(TestTasks.Identity, i)).ToList();
        var workers = pool.WorkerProcessIds.ToList();

        if (kill)
        {
            pool.KillWorkers();
        }
        else
        {
            pool.TerminateWorkers();
        }

        Assert.ThrowsAny<Exception>(() => running.Result(Timeout));
        Assert.All(queued, f => Assert.True(f.IsCanceled || f.IsDone));
        Assert.True(queued[^1].IsCanceled);
        Assert.Throws<InvalidOperationException>(() => pool.Submit(TestTasks.NoOp));
        ProcessTable.WaitUntilGone(workers, "the pool's workers");
        Assert.True(pool.ShutdownAsync().Wait(Timeout));
    }

    [Fact]
    public void TerminateWorkers_BeforeAnyWorkerStarted_IsANoOp()
    {
        using var pool = new ProcessPoolExecutor(maxWorkers: 1);
        pool.TerminateWorkers();
        pool.KillWorkers();
        Assert.Equal(3, pool.Submit(TestTasks.Identity, 3).Result(Timeout));
    }

    [Fact]
    public void Dispose_NoWorkerProcessOutlivesItsExecutor()
    {
        List<int> workers;
        using (var pool = new ProcessPoolExecutor(maxWorkers: 2))
        {
            Enumerable.Range(0, 10).Select(i => pool.Submit(TestTasks.Square, i)).ToList().ForEach(f => f.Result(Timeout));
            workers = pool.WorkerProcessIds.ToList();
            Assert.Equal(2, workers.Count);
        }

        Assert.All(workers, pid => Assert.False(ProcessTable.IsAlive(pid), $"worker {pid} outlived its pool"));
    }

    [Fact]
    public void ClientProcessKilled_ItsWorkersExitToo()
    {
        using var client = TestProgram.Start("process-pool-then-wait");
        var workers = TestProgram.ReadLineStartingWith(client, "workers ")["workers ".Length..]
            .Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToList();
        Assert.Equal(2, workers.Count);

        client.Kill();

        ProcessTable.WaitUntilGone(workers, "the killed client's workers");
    }
}
