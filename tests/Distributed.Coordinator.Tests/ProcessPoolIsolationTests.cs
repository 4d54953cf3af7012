using Distributed.Futures;
using Distributed.Testing;

namespace Distributed.Coordinator.Tests;

/// <summary>Calls really run in other processes, and the pool manages those processes as Python's does.</summary>
public sealed class ProcessPoolIsolationTests
{
    private static readonly TimeSpan Timeout = TestTimeouts.Default;

    [Fact]
    public void Submit_RunsInAnotherProcess_AndEachWorkerIsItsOwnProcess()
    {
        using var pool = new ProcessPoolExecutor(maxWorkers: 2);
        using var gate = new TaskGate();

        var pids = Enumerable.Range(0, 2).Select(_ => pool.Submit(TestTasks.ProcessIdAfterGate, gate.Port)).ToList();
        gate.WaitForArrivals(2);
        gate.Open();

        var distinct = pids.Select(f => f.Result(Timeout)).ToHashSet();
        Assert.Equal(2, distinct.Count);
        Assert.DoesNotContain(Environment.ProcessId, distinct);
        Assert.Subset(pool.WorkerProcessIds.ToHashSet(), distinct);
    }

    [Fact]
    public void MaxTasksPerChild_ThreeTasksRunInOneProcessAndTheFourthInANewOne()
    {
        using var pool = new ProcessPoolExecutor(maxWorkers: 1, maxTasksPerChild: 3);

        var pids = Enumerable.Range(0, 7).Select(_ => pool.Submit(TestTasks.CurrentProcessId).Result(Timeout)).ToList();

        Assert.Single(pids.Take(3).Distinct());
        Assert.Single(pids.Skip(3).Take(3).Distinct());
        Assert.NotEqual(pids[0], pids[3]);
        Assert.NotEqual(pids[3], pids[6]);
    }

    [Fact]
    public void Initializer_RunsInEachWorkerBeforeItsFirstTask()
    {
        using var pool = new ProcessPoolExecutor(maxWorkers: 1, initializer: ProcessTasks.Initialize);

        var pid = pool.Submit(TestTasks.CurrentProcessId).Result(Timeout);

        Assert.Equal($"initializer in process {pid}", pool.Submit(ProcessTasks.InitializedBy).Result(Timeout));
        Assert.Equal("nobody", ProcessTasks.InitializedBy());
    }

    [Fact]
    public void Initializer_Throws_PendingFuturesAndLaterSubmitsFailWithBrokenProcessPool()
    {
        using var pool = new ProcessPoolExecutor(maxWorkers: 2, initializer: ProcessTasks.FailingInitializer);

        var futures = Enumerable.Range(0, 4).Select(i => pool.Submit(TestTasks.Identity, i)).ToList();

        foreach (var future in futures)
        {
            var error = Assert.Throws<BrokenProcessPoolException>(() => future.Result(Timeout));
            Assert.Contains(ProcessTasks.InitializerFailure, error.Message, StringComparison.Ordinal);
        }

        var later = Assert.Throws<BrokenProcessPoolException>(() => pool.Submit(TestTasks.NoOp));
        Assert.Contains(ProcessTasks.InitializerFailure, later.Message, StringComparison.Ordinal);
        pool.Shutdown();
        Assert.Throws<BrokenProcessPoolException>(() => pool.Submit(TestTasks.NoOp));
    }

    [Fact]
    public void Constructor_BadCounts_ThrowArgumentOutOfRange()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ProcessPoolExecutor(maxWorkers: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ProcessPoolExecutor(maxWorkers: -2));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ProcessPoolExecutor(maxTasksPerChild: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ProcessPoolExecutor(new ProcessPoolOptions { MaxRetries = -1 }));
        using var defaults = new ProcessPoolExecutor();
        Assert.Equal(Environment.ProcessorCount, defaults.MaxWorkers);
    }

    [Fact]
    public void Constructor_InitializerThatCapturesState_ThrowsArgumentException()
    {
        int state = 3;
        var error = Assert.Throws<ArgumentException>(() => new ProcessPoolExecutor(initializer: () => state++));
        Assert.Contains("captures", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WorkerOutput_ReachesTheParentsConsole()
    {
        var (exitCode, output, errors) = TestProgram.Run("process-pool-prints");

        Assert.True(exitCode == 0, errors);
        Assert.Contains("Processing 2", output, StringComparison.Ordinal);
        Assert.Contains("Processing 3", output, StringComparison.Ordinal);
        Assert.Contains("Processing 4", output, StringComparison.Ordinal);
        Assert.Contains("All tasks complete", output, StringComparison.Ordinal);
    }
}
