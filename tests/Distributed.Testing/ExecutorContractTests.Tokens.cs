using Distributed.Futures;
using Xunit;

namespace Distributed.Testing;

/// <summary>CancellationToken arguments, live where the task runs (shared/API.md's "cancellation tokens"), on every executor.</summary>
public abstract partial class ExecutorContractTests
{
    [Fact]
    public void Token_NotCanceled_IsAnOrdinaryArgument()
    {
        var executor = NewExecutor();
        using var source = new CancellationTokenSource();

        Assert.Equal(5, executor.Submit(TestTasks.AddWithToken, 2, 3, CancellationToken.None).Result(Timeout));
        Assert.Equal(7, executor.Submit(TestTasks.AddWithToken, 3, 4, source.Token).Result(Timeout));
    }

    [Fact]
    public void Token_CanceledBeforeSubmit_CancelsTheFutureAndTheTaskNeverRuns()
    {
        var executor = NewExecutor();
        var gate = NewGate();
        using var source = new CancellationTokenSource();
        source.Cancel();

        var future = executor.Submit(TestTasks.ArriveWithToken, gate.Port, source.Token);

        Assert.Throws<FutureCanceledException>(() => future.Result(Timeout));
        Assert.True(future.IsCanceled);
        Assert.Equal(1, executor.Submit(TestTasks.Identity, 1).Result(Timeout));
        Assert.Equal(0, gate.Arrivals);
    }

    [Fact]
    public void MapToken_CanceledBeforeTheItemsAreSubmitted_CancelsThemAndNoneRuns()
    {
        var executor = NewExecutor();
        var gate = NewGate();
        using var source = new CancellationTokenSource();
        source.Cancel();

        var results = executor.Map(TestTasks.ArriveWithToken, Enumerable.Repeat(gate.Port, 3), Enumerable.Repeat(source.Token, 3), Timeout);

        Assert.ThrowsAny<OperationCanceledException>(() => results.ToList());
        Assert.Equal(4, executor.Submit(TestTasks.Identity, 4).Result(Timeout));
        Assert.Equal(0, gate.Arrivals);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void MapToken_CanceledWhileItsItemsRunAndWait_SignalsTheRunningOneAndNoQueuedOneRuns(int chunkSize)
    {
        var executor = NewExecutor(maxWorkers: 1);
        var gate = NewGate();
        using var source = new CancellationTokenSource();
        var results = executor.Map(TestTasks.BlockUntilCanceled, Enumerable.Repeat(gate.Port, 4), Enumerable.Repeat(source.Token, 4), Timeout, chunkSize);
        gate.WaitForArrivals(1);

        source.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => results.ToList());
        Assert.Equal(5, executor.Submit(TestTasks.Identity, 5).Result(Timeout));
        Assert.Equal(1, gate.Arrivals);
    }

    [Fact]
    public void Token_CanceledWhileQueued_CancelsTheFutureAndTheTaskNeverRuns()
    {
        var executor = NewExecutor(maxWorkers: 1);
        var busy = NewGate();
        var never = NewGate();
        using var source = new CancellationTokenSource();
        var blocker = executor.Submit(TestTasks.PassGate, busy.Port, 1);
        busy.WaitForArrivals(1);
        var queued = executor.Submit(TestTasks.ArriveWithToken, never.Port, source.Token);

        source.Cancel();

        TestTimeouts.WaitUntil(() => queued.IsCanceled, "the queued future is canceled");
        busy.Open();
        Assert.Equal(1, blocker.Result(Timeout));
        Assert.Equal(2, executor.Submit(TestTasks.Identity, 2).Result(Timeout));
        Assert.Equal(0, never.Arrivals);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Token_CanceledWhileRunning_SignalsTheTaskAndItsFutureEndsCanceled(bool async)
    {
        var executor = NewExecutor(maxWorkers: 1);
        var gate = NewGate();
        using var source = new CancellationTokenSource();
        var future = async
            ? executor.Submit(TestTasks.AwaitCancelAsync, gate.Port, source.Token)
            : executor.Submit(TestTasks.BlockUntilCanceled, gate.Port, source.Token);
        gate.WaitForArrivals(1);
        TestTimeouts.WaitUntil(() => future.IsRunning, "the future reports running");

        // Python's meaning stays: a running future cannot be canceled; its token can.
        Assert.False(future.Cancel());
        source.Cancel();

        Assert.Throws<FutureCanceledException>(() => future.Result(Timeout));
        Assert.True(future.IsCanceled);
        Assert.Equal(3, executor.Submit(TestTasks.Identity, 3).Result(Timeout));
    }

    [Fact]
    public void Token_OperationCanceledWithoutItsTokenCanceled_IsAnOrdinaryException()
    {
        var executor = NewExecutor();
        using var source = new CancellationTokenSource();
        var future = executor.Submit(TestTasks.ThrowCanceledOnItsOwn, source.Token);

        var error = Assert.IsAssignableFrom<OperationCanceledException>(future.Exception(Timeout));
        Assert.Contains("gave up on its own", error.Message, StringComparison.Ordinal);
        Assert.False(future.IsCanceled);
    }
}
