using Distributed.Futures;
using Xunit;

namespace Distributed.Testing;

public abstract partial class ExecutorContractTests
{
    [Fact]
    public void Shutdown_WaitTrue_ReturnsOnlyWhenRunningAndQueuedWorkIsDone()
    {
        var executor = NewExecutor(maxWorkers: 1);
        var gate = NewGate();
        var running = executor.Submit(TestTasks.PassGate, gate.Port, 1);
        var queued = executor.Submit(TestTasks.Identity, 2);
        gate.WaitForArrivals(1);

        var shutdown = Task.Factory.StartNew(() => executor.Shutdown(wait: true), TaskCreationOptions.LongRunning);

        // A negative check: it cannot pass wrongly, only miss a bug on a very slow machine.
        Assert.False(shutdown.Wait(TimeSpan.FromMilliseconds(100)), "Shutdown(wait: true) returned while a task was still running");
        gate.Open();
        Assert.True(shutdown.Wait(Timeout), "Shutdown(wait: true) did not return after the work finished");

        Assert.True(running.IsDone);
        Assert.True(queued.IsDone);
        Assert.Equal(2, queued.Result(TimeSpan.Zero));
    }

    [Fact]
    public void Shutdown_WaitFalse_ReturnsAtOnceAndQueuedWorkStillRuns()
    {
        var executor = NewExecutor(maxWorkers: 1);
        var gate = NewGate();
        var running = executor.Submit(TestTasks.PassGate, gate.Port, 1);
        var queued = executor.Submit(TestTasks.Identity, 2);
        gate.WaitForArrivals(1);

        Assert.True(Task.Run(() => executor.Shutdown(wait: false)).Wait(Timeout), "Shutdown(wait: false) blocked");
        Assert.False(queued.IsDone);
        Assert.Throws<InvalidOperationException>(() => executor.Submit(TestTasks.NoOp));

        gate.Open();
        Assert.Equal(1, running.Result(Timeout));
        Assert.Equal(2, queued.Result(Timeout));
    }

    [Fact]
    public void Shutdown_CancelFutures_CancelsEveryFutureNotStarted()
    {
        var executor = NewExecutor(maxWorkers: 1);
        var gate = NewGate();
        var running = executor.Submit(TestTasks.PassGate, gate.Port, 1);
        gate.WaitForArrivals(1);
        TestTimeouts.WaitUntil(() => running.IsRunning, "the first task reports running");
        var queued = Enumerable.Range(0, QueuedBehindBlocker).Select(i => executor.Submit(TestTasks.Identity, i)).ToList();

        executor.Shutdown(wait: false, cancelFutures: true);

        Assert.False(running.IsCanceled);
        Assert.True(queued[^1].IsCanceled);
        gate.Open();
        Assert.Equal(1, running.Result(Timeout));
        executor.Shutdown(wait: true);

        // Whatever was not canceled had already been handed to a worker, and it finished.
        Assert.All(queued, f => Assert.True(f.IsCanceled || f.Result(Timeout) >= 0));
        Assert.True(queued.Count(f => f.IsCanceled) >= QueuedBehindBlocker / 2);
    }

    [Fact]
    public void Shutdown_CalledTwice_IsIdempotent()
    {
        var executor = NewExecutor();
        var future = executor.Submit(TestTasks.Identity, 1);
        executor.Shutdown();
        executor.Shutdown();
        executor.Shutdown(wait: false, cancelFutures: true);
        Assert.Equal(1, future.Result(Timeout));
    }

    [Fact]
    public void Dispose_WaitsForWorkAndIsIdempotent()
    {
        var executor = NewExecutor();
        Future<int> future;
        using (executor)
        {
            future = executor.Submit(TestTasks.Square, 4);
        }

        Assert.True(future.IsDone);
        Assert.Equal(16, future.Result(TimeSpan.Zero));
        executor.Dispose();
        Assert.Throws<InvalidOperationException>(() => executor.Submit(TestTasks.NoOp));
    }

    [Fact]
    public async Task DisposeAsync_CompletesWhenTheWorkIsDone()
    {
        var executor = NewExecutor(maxWorkers: 1);
        var gate = NewGate();
        var running = executor.Submit(TestTasks.PassGate, gate.Port, 1);
        var queued = executor.Submit(TestTasks.Identity, 2);
        gate.WaitForArrivals(1);

        var disposal = executor.DisposeAsync().AsTask();
        Assert.False(disposal.IsCompleted);
        gate.Open();
        await disposal.DefaultTimeout();

        Assert.True(running.IsDone);
        Assert.Equal(2, queued.Result(TimeSpan.Zero));
        await executor.DisposeAsync();
    }
}
