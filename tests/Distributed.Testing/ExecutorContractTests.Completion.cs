using Distributed.Futures;
using Xunit;

namespace Distributed.Testing;

public abstract partial class ExecutorContractTests
{
    [Fact]
    public void AddDoneCallback_OnSubmittedFuture_RunsOnceWithThatFuture()
    {
        var executor = NewExecutor();
        var gate = NewGate();
        var future = executor.Submit(TestTasks.PassGate, gate.Port, 9);
        var seen = new TaskCompletionSource<Future<int>>(TaskCreationOptions.RunContinuationsAsynchronously);
        int calls = 0;
        future.AddDoneCallback(f =>
        {
            Interlocked.Increment(ref calls);
            seen.TrySetResult(f);
        });

        gate.Open();

        Assert.Same(future, seen.Task.Wait(Timeout) ? seen.Task.Result : null);
        Assert.Equal(9, future.Result(Timeout));
        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task Await_SubmittedFuture_GivesResultOrTheTaskException()
    {
        var executor = NewExecutor();
        Assert.Equal(25, await executor.Submit(TestTasks.Square, 5).AsTask().DefaultTimeout());
        await Assert.ThrowsAsync<InvalidOperationException>(() => executor.Submit(TestTasks.Throw, "async").AsTask().DefaultTimeout());
    }

    [Fact]
    public void AsCompleted_SubmittedFutures_YieldsInCompletionOrder()
    {
        var executor = NewExecutor(maxWorkers: 2);
        var gate = NewGate();
        var slow = executor.Submit(TestTasks.PassGate, gate.Port, 1);
        gate.WaitForArrivals(1);
        var fast = executor.Submit(TestTasks.Identity, 2);

        using var completed = Future.AsCompleted([slow, fast], Timeout).GetEnumerator();
        Assert.True(completed.MoveNext());
        Assert.Same(fast, completed.Current);

        gate.Open();
        Assert.True(completed.MoveNext());
        Assert.Same(slow, completed.Current);
        Assert.False(completed.MoveNext());
    }

    [Fact]
    public void Wait_FirstCompleted_ReturnsWithTheFinishedTaskWhileAnotherRuns()
    {
        var executor = NewExecutor(maxWorkers: 2);
        var gate = NewGate();
        var slow = executor.Submit(TestTasks.PassGate, gate.Port, 1);
        var fast = executor.Submit(TestTasks.Identity, 2);

        var result = Future.Wait([slow, fast], Timeout, ReturnWhen.FirstCompleted);

        Assert.Contains(fast, result.Done);
        Assert.Contains(slow, result.NotDone);
        gate.Open();
        Assert.Equal(2, Future.Wait([slow, fast], Timeout).Done.Count);
    }

    [Fact]
    public void Wait_FirstException_ReturnsOnTheFailedTask()
    {
        var executor = NewExecutor(maxWorkers: 2);
        var gate = NewGate();
        var slow = executor.Submit(TestTasks.PassGate, gate.Port, 1);
        var failing = executor.Submit(TestTasks.Throw, "first exception");

        var result = Future.Wait([slow, failing], Timeout, ReturnWhen.FirstException);

        Assert.Same(failing, Assert.Single(result.Done));
        Assert.Same(slow, Assert.Single(result.NotDone));
        gate.Open();
    }
}
