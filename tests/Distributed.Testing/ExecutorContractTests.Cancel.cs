using Distributed.Futures;
using Xunit;

namespace Distributed.Testing;

public abstract partial class ExecutorContractTests
{
    // Enough queued tasks behind a busy worker that the last ones are still queued at the
    // executor, whatever an executor prefetches to its workers.
    private const int QueuedBehindBlocker = 20;

    [Fact]
    public void Cancel_QueuedTask_ReturnsTrueAndTheTaskNeverRuns()
    {
        var executor = NewExecutor(maxWorkers: 1);
        var blocker = NewGate();
        var probe = NewGate();
        probe.Open();

        var running = executor.Submit(TestTasks.PassGate, blocker.Port, 1);
        blocker.WaitForArrivals(1);
        var queued = Enumerable.Range(0, QueuedBehindBlocker).Select(_ => executor.Submit(TestTasks.ArriveAtGate, probe.Port)).ToList();

        Assert.True(queued[^1].Cancel());
        Assert.True(queued[^1].IsCanceled);
        Assert.True(queued[^1].IsDone);
        Assert.Equal(FutureState.Canceled, queued[^1].State);
        Assert.Throws<FutureCanceledException>(() => queued[^1].Result(Timeout));

        blocker.Open();
        Assert.Equal(1, running.Result(Timeout));
        executor.Shutdown(wait: true);

        Assert.Equal(QueuedBehindBlocker - 1, probe.Arrivals);
        Assert.All(queued.SkipLast(1), f => Assert.Null(f.Result(Timeout)));
    }

    [Fact]
    public void Cancel_EveryQueuedTask_NoneOfThemRuns()
    {
        var executor = NewExecutor(maxWorkers: 1);
        var blocker = NewGate();
        var probe = NewGate();
        probe.Open();

        var running = executor.Submit(TestTasks.PassGate, blocker.Port, 1);
        blocker.WaitForArrivals(1);
        var queued = Enumerable.Range(0, QueuedBehindBlocker).Select(_ => executor.Submit(TestTasks.ArriveAtGate, probe.Port)).ToList();
        var canceled = queued.Where(f => f.Cancel()).ToList();

        blocker.Open();
        running.Result(Timeout);
        executor.Shutdown(wait: true);

        // Whatever an executor could not cancel (already handed to a worker) ran; nothing canceled did.
        Assert.True(canceled.Count >= QueuedBehindBlocker / 2, $"only {canceled.Count} of {QueuedBehindBlocker} queued tasks could be canceled");
        Assert.Equal(QueuedBehindBlocker - canceled.Count, probe.Arrivals);
    }

    [Fact]
    public void Cancel_RunningTask_ReturnsFalseAndTheTaskCompletes()
    {
        var executor = NewExecutor();
        var gate = NewGate();

        var future = executor.Submit(TestTasks.PassGate, gate.Port, 3);
        gate.WaitForArrivals(1);
        TestTimeouts.WaitUntil(() => future.IsRunning, "the future reports running");

        Assert.False(future.Cancel());
        Assert.False(future.IsCanceled);
        Assert.Equal(FutureState.Running, future.State);

        gate.Open();
        Assert.Equal(3, future.Result(Timeout));
    }

    [Fact]
    public void Cancel_FinishedTask_ReturnsFalse()
    {
        var executor = NewExecutor();
        var future = executor.Submit(TestTasks.Identity, 5);
        future.Result(Timeout);

        Assert.False(future.Cancel());
        Assert.Equal(5, future.Result(Timeout));
    }

    [Fact]
    public void Cancel_QueuedTaskTwice_ReturnsTrueBothTimesAndCallbacksRunOnce()
    {
        var executor = NewExecutor(maxWorkers: 1);
        var gate = NewGate();
        executor.Submit(TestTasks.PassGate, gate.Port, 0);
        gate.WaitForArrivals(1);
        var queued = Enumerable.Range(0, QueuedBehindBlocker).Select(i => executor.Submit(TestTasks.Identity, i)).ToList();
        int calls = 0;
        queued[^1].AddDoneCallback(_ => Interlocked.Increment(ref calls));

        Assert.True(queued[^1].Cancel());
        Assert.True(queued[^1].Cancel());

        Assert.Equal(1, calls);
        gate.Open();
    }
}
