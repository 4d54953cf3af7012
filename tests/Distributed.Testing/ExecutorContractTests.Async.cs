using Distributed.Futures;
using Xunit;

namespace Distributed.Testing;

/// <summary>Async task functions (shared/API.md's "Async functions"), on every executor.</summary>
public abstract partial class ExecutorContractTests
{
    [Fact]
    public void SubmitAsync_EveryArityAndTaskShape_GivesTheAwaitedResult()
    {
        var executor = NewExecutor();

        // The declared types are the test: each binds to the async overload, not to Future<Task<int>>.
        Future<int> none = executor.Submit(TestTasks.NoOpAsync);
        Future<int> one = executor.Submit(TestTasks.SquareAsync, 3);
        Future<int> two = executor.Submit(TestTasks.AddValueAsync, 2, 3);
        Future<int> three = executor.Submit(TestTasks.Sum3Async, 1, 2, 3);
        Future<int> done = executor.Submit(TestTasks.SquareAlreadyDone, 4);
        Future task = executor.Submit(TestTasks.DoNothingAsync);
        Future valueTask = executor.Submit(TestTasks.DoNothingValueAsync, 1);

        Assert.Equal(0, none.Result(Timeout));
        Assert.Equal(9, one.Result(Timeout));
        Assert.Equal(5, two.Result(Timeout));
        Assert.Equal(6, three.Result(Timeout));
        Assert.Equal(16, done.Result(Timeout));
        Assert.Null(task.Result(Timeout));
        Assert.Null(valueTask.Result(Timeout));
    }

    [Fact]
    public void SubmitAsync_ExceptionAfterAwait_ComesBackAsASyncOneDoes()
    {
        var executor = NewExecutor();
        var asyncError = Assert.Throws<InvalidOperationException>(() => executor.Submit(TestTasks.ThrowAfterAwaitAsync, "after await").Result(Timeout));
        var syncError = Assert.Throws<InvalidOperationException>(() => executor.Submit(TestTasks.Throw, "after await").Result(Timeout));

        Assert.Equal(syncError.Message, asyncError.Message);
        Assert.Equal(syncError.InnerException?.GetType(), asyncError.InnerException?.GetType());
        Assert.Equal(1, executor.Submit(TestTasks.Identity, 1).Result(Timeout));
    }

    [Fact]
    public void SubmitAsync_IsRunningUntilTheAwaitedTaskEnds()
    {
        var executor = NewExecutor();
        var gate = NewGate();
        var future = executor.Submit(TestTasks.PassGateAsync, gate.Port, 7);
        gate.WaitForArrivals(1);
        TestTimeouts.WaitUntil(() => future.IsRunning, "the future reports running");
        Assert.False(future.IsDone);

        gate.Open();

        Assert.Equal(7, future.Result(Timeout));
        Assert.False(future.IsRunning);
    }

    [Fact]
    public void SubmitAsync_AwaitingTasksCountAgainstMaxWorkers()
    {
        var executor = NewExecutor(maxWorkers: 2);
        var gate = NewGate();
        var futures = Enumerable.Range(0, 4).Select(i => executor.Submit(TestTasks.PassGateAsync, gate.Port, i)).ToList();
        gate.WaitForArrivals(2);

        // Two tasks await at the gate: the other two wait for one of them to end, awaiting or not.
        TestTimeouts.WaitUntil(() => futures.Count(f => f.IsRunning) == 2, "two futures report running");
        Assert.Equal(2, futures.Count(f => f.State == FutureState.Pending));
        Assert.Equal(2, gate.Arrivals);

        gate.ReleaseOne();
        gate.WaitForArrivals(3);
        gate.Open();

        Assert.Equal([0, 1, 2, 3], futures.Select(f => f.Result(Timeout)));
    }

    [Fact]
    public void MapAsync_YieldsTheAwaitedResultsInInputOrder()
    {
        var executor = NewExecutor();
        var items = Enumerable.Range(0, 40).ToList();

        Assert.Equal(items.Select(i => i * i), executor.Map(TestTasks.SquareAsync, items, Timeout, chunkSize: 7));
        Assert.Equal(items.Select(i => i + i), executor.Map(TestTasks.AddValueAsync, items, items, Timeout, chunkSize: 3));
    }

    [Fact]
    public async Task SubmitAsync_ShutdownWaitsForAwaitingTasks()
    {
        var executor = CreateExecutor(2);
        var gate = NewGate();
        var future = executor.Submit(TestTasks.PassGateAsync, gate.Port, 5);
        gate.WaitForArrivals(1);

        var shutdown = executor.ShutdownAsync();
        Assert.False(shutdown.IsCompleted);
        Assert.False(future.IsDone);

        gate.Open();
        await shutdown.DefaultTimeout();
        Assert.Equal(5, future.Result(TimeSpan.Zero));
    }
}
