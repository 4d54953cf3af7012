using Distributed.Futures;
using Distributed.Testing;

namespace Distributed.Coordinator.Tests;

/// <summary>
/// A per-task timeout in the process pool, seen from the processes: a task that ignores its token
/// is stopped by recycling its worker (ended, replaced, charged no retry); one that honours it
/// keeps its worker.
/// </summary>
public sealed class ProcessPoolTimeoutTests
{
    private static readonly TimeSpan Timeout = TestTimeouts.Default;
    private static readonly TaskOptions Short = new() { Timeout = TimeSpan.FromMilliseconds(300) };

    [Fact]
    public void TaskIgnoringItsToken_ItsWorkerIsReplaced_AndTheTaskQueuedBehindItRuns()
    {
        // No retries for a worker's death: the recycled worker's death must not count as one.
        using var pool = new ProcessPoolExecutor(new ProcessPoolOptions { MaxWorkers = 1, MaxRetries = 0 });
        using var gate = new TaskGate();
        int first = pool.Submit(TestTasks.CurrentProcessId).Result(Timeout);

        var stuck = pool.With(Short).Submit(TestTasks.PassGate, gate.Port, 1);
        gate.WaitForArrivals(1);
        var queued = pool.Submit(TestTasks.Square, 5);

        var error = Assert.IsType<TimeoutException>(stuck.Exception(Timeout));
        Assert.Contains("300 ms", error.Message, StringComparison.Ordinal);
        Assert.Equal(25, queued.Result(Timeout));
        ProcessTable.WaitUntilGone([first], "the recycled worker has ended");
        Assert.NotEqual(first, pool.Submit(TestTasks.CurrentProcessId).Result(Timeout));
    }

    [Fact]
    public void TaskHonouringItsToken_FailsWithTimeout_AndKeepsItsWorker()
    {
        using var pool = new ProcessPoolExecutor(maxWorkers: 1);
        using var gate = new TaskGate();
        int first = pool.Submit(TestTasks.CurrentProcessId).Result(Timeout);

        var future = pool.With(Short).Submit(TestTasks.AwaitCancelAsync, gate.Port, CancellationToken.None);

        Assert.IsType<TimeoutException>(future.Exception(Timeout));
        Assert.Equal(first, pool.Submit(TestTasks.CurrentProcessId).Result(Timeout));
        Assert.Equal(first, Assert.Single(pool.WorkerProcessIds));
    }

    [Fact]
    public void TimeoutInAMapChunk_ReachesTheIterationAtThatItem_AndThePoolGoesOn()
    {
        using var pool = new ProcessPoolExecutor(maxWorkers: 2);
        using var gate = new TaskGate();

        // Hold (-2) waits at the gate past the limit and ignores any token: its worker is recycled.
        var results = pool.With(Short).Map(TestTasks.Act, Enumerable.Repeat(gate.Port, 4), [1, TestTasks.Hold, 3, 4], Timeout, chunkSize: 4);

        using var items = results.GetEnumerator();
        Assert.True(items.MoveNext());
        Assert.Equal(1, items.Current);
        Assert.Throws<TimeoutException>(() => items.MoveNext());
        Assert.Equal([4, 9], pool.Map(TestTasks.Square, [2, 3], Timeout));
    }
}
