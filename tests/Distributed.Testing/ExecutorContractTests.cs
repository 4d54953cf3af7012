using Distributed.Futures;
using Xunit;

namespace Distributed.Testing;

/// <summary>
/// The behaviour every executor shares (shared/API.md's Executor, Future, Map and Shutdown
/// sections), written once and run against each implementation: a test class derives from this and
/// says how to create its executor. Tasks are public static methods of <see cref="TestTasks"/>, so
/// the same tests run whether the call stays in this process or crosses into a worker.
/// </summary>
public abstract partial class ExecutorContractTests : IDisposable
{
    private readonly List<Executor> _executors = [];
    private readonly List<TaskGate> _gates = [];
    private readonly List<IDisposable> _afterExecutors = [];

    protected static TimeSpan Timeout => TestTimeouts.Default;

    /// <summary>Creates the executor under test with room for <paramref name="maxWorkers"/> concurrent calls.</summary>
    protected abstract Executor CreateExecutor(int maxWorkers);

    /// <summary>Creates an executor that is shut down when the test ends.</summary>
    protected Executor NewExecutor(int maxWorkers = 2) => Track(CreateExecutor(maxWorkers));

    /// <summary>Has <paramref name="executor"/> shut down when the test ends.</summary>
    protected TExecutor Track<TExecutor>(TExecutor executor)
        where TExecutor : Executor
    {
        _executors.Add(executor);
        return executor;
    }

    /// <summary>Disposes <paramref name="resource"/> when the test ends, after its executors shut down (say, the server they use).</summary>
    protected void DisposeAfterExecutors(IDisposable resource) => _afterExecutors.Add(resource);

    /// <summary>Creates a gate that is opened when the test ends.</summary>
    protected TaskGate NewGate()
    {
        var gate = new TaskGate();
        _gates.Add(gate);
        return gate;
    }

    public void Dispose()
    {
        _gates.ForEach(gate => gate.Dispose());
        foreach (var executor in _executors)
        {
            Assert.True(
                executor.ShutdownAsync(cancelFutures: true).Wait(Timeout),
                $"{executor.GetType().Name} did not shut down within {Timeout}.");
        }

        _afterExecutors.ForEach(resource => resource.Dispose());
        GC.SuppressFinalize(this);
    }

    [Fact]
    public void Submit_Function_ReturnsItsResult()
    {
        var executor = NewExecutor();
        Assert.Equal(42, executor.Submit(TestTasks.Identity, 42).Result(Timeout));
    }

    [Fact]
    public void Submit_EveryArity_PassesItsArguments()
    {
        var executor = NewExecutor();
        Assert.Equal(0, executor.Submit(TestTasks.NoOp).Result(Timeout));
        Assert.Equal(9, executor.Submit(TestTasks.Square, 3).Result(Timeout));
        Assert.Equal(5, executor.Submit(TestTasks.Add, 2, 3).Result(Timeout));
        Assert.Equal(6, executor.Submit(TestTasks.Sum3, 1, 2, 3).Result(Timeout));
        Assert.Equal("ab", executor.Submit(TestTasks.Concat, "a", "b").Result(Timeout));
    }

    [Fact]
    public void Submit_Action_CompletesWithNullResult()
    {
        var executor = NewExecutor();
        var gate = NewGate();
        gate.Open();

        Future future = executor.Submit(TestTasks.ArriveAtGate, gate.Port);

        Assert.Null(future.Result(Timeout));
        Assert.Equal(FutureState.Finished, future.State);
        Assert.Equal(1, gate.Arrivals);
        Assert.Null(executor.Submit(TestTasks.DoNothing).Result(Timeout));
    }

    [Fact]
    public void Submit_NullFunction_ThrowsArgumentNullException()
    {
        var executor = NewExecutor();
        Assert.Throws<ArgumentNullException>(() => executor.Submit((Func<int>)null!));
        Assert.Throws<ArgumentNullException>(() => executor.Submit((Func<int, int>)null!, 1));
        Assert.Throws<ArgumentNullException>(() => executor.Submit((Action)null!));
        Assert.Throws<ArgumentNullException>(() => executor.Submit((Action<int>)null!, 1));
    }

    [Fact]
    public void Submit_AfterShutdown_ThrowsInvalidOperationException()
    {
        var executor = NewExecutor();
        executor.Shutdown();

        var error = Assert.Throws<InvalidOperationException>(() => executor.Submit(TestTasks.NoOp));
        Assert.Equal("cannot schedule new futures after shutdown", error.Message);
    }

    [Fact]
    public void Submit_TaskThrows_ResultThrowsExceptionOfSameTypeAndMessage()
    {
        var executor = NewExecutor();
        var future = executor.Submit(TestTasks.Throw, "boom");

        var error = Assert.Throws<InvalidOperationException>(() => future.Result(Timeout));
        Assert.Contains("boom", error.Message, StringComparison.Ordinal);
        Assert.IsType<InvalidOperationException>(future.Exception(Timeout));
        Assert.Equal(FutureState.Finished, future.State);
    }

    [Fact]
    public void Submit_ActionThrows_ResultThrowsIt()
    {
        var executor = NewExecutor();
        var future = executor.Submit(TestTasks.ThrowFromAction, "from an action");
        Assert.Throws<InvalidOperationException>(() => future.Result(Timeout));
    }

    [Fact]
    public void Submit_ManyTasks_EveryFutureGetsItsOwnResult()
    {
        var executor = NewExecutor();
        var futures = Enumerable.Range(0, 2_000).Select(i => executor.Submit(TestTasks.Square, i)).ToList();

        for (int i = 0; i < futures.Count; i++)
        {
            Assert.Equal(i * i, futures[i].Result(Timeout));
        }
    }

    [Fact]
    public void Future_WhileTaskRuns_IsRunningAndNotDone()
    {
        var executor = NewExecutor();
        var gate = NewGate();

        var future = executor.Submit(TestTasks.PassGate, gate.Port, 7);
        gate.WaitForArrivals(1);
        TestTimeouts.WaitUntil(() => future.IsRunning, "the future reports running");

        Assert.Equal(FutureState.Running, future.State);
        Assert.False(future.IsDone);
        Assert.Throws<TimeoutException>(() => future.Result(TimeSpan.Zero));
        Assert.Throws<TimeoutException>(() => future.Result(TimeSpan.FromMilliseconds(20)));
        Assert.Throws<TimeoutException>(() => future.Exception(TimeSpan.FromMilliseconds(-5)));

        gate.Open();
        Assert.Equal(7, future.Result(Timeout));
        Assert.True(future.IsDone);
        Assert.False(future.IsRunning);
    }
}
