using System.Collections.Concurrent;
using Distributed.Testing;

namespace Distributed.Futures.Tests;

/// <summary>The shared executor contract, plus what only a pool of threads in this process does.</summary>
public sealed class ThreadPoolExecutorTests : TaskOptionsContractTests
{
    [Fact]
    public void MaxWorkers_Default_IsProcessorCountPlusFourCappedAt32()
    {
        using var executor = new ThreadPoolExecutor();
        Assert.Equal(Math.Min(32, Environment.ProcessorCount + 4), executor.MaxWorkers);
        using var three = new ThreadPoolExecutor(maxWorkers: 3);
        Assert.Equal(3, three.MaxWorkers);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Constructor_MaxWorkersNotPositive_ThrowsArgumentOutOfRange(int maxWorkers)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ThreadPoolExecutor(maxWorkers));
    }

    [Fact]
    public void Submit_TaskThrows_ResultRethrowsTheSameInstance()
    {
        using var executor = new ThreadPoolExecutor(1);
        var error = new FormatException("same instance");
        var future = executor.Submit(() => ThrowIt(error));

        Assert.Same(error, Assert.Throws<FormatException>(() => future.Result(Timeout)));
        Assert.Contains(nameof(ThrowIt), error.StackTrace, StringComparison.Ordinal);
    }

    [Fact]
    public void Submit_Closure_RunsInProcess()
    {
        using var executor = new ThreadPoolExecutor(1);
        int captured = 20;
        Assert.Equal(21, executor.Submit(() => captured + 1).Result(Timeout));
    }

    [Fact]
    public void ThreadNames_CustomPrefix_AreThePrefixAndAnIndexFromZero()
    {
        var executor = NewThreadPool(maxWorkers: 2, prefix: "crawler");
        var gate = NewGate();

        var names = Enumerable.Range(0, 2).Select(_ => executor.Submit(TestTasks.ThreadNameAfterGate, gate.Port)).ToList();
        gate.WaitForArrivals(2);
        gate.Open();

        Assert.Equal(["crawler_0", "crawler_1"], names.Select(f => f.Result(Timeout)).Order());
    }

    [Fact]
    public void ThreadNames_DefaultPrefix_CountsPoolsInTheProcess()
    {
        var first = NewThreadPool(maxWorkers: 1);
        var second = NewThreadPool(maxWorkers: 1);

        string firstName = first.Submit(TestTasks.CurrentThreadName).Result(Timeout);
        string secondName = second.Submit(TestTasks.CurrentThreadName).Result(Timeout);

        Assert.Matches(@"^ThreadPoolExecutor-\d+_0$", firstName);
        Assert.Matches(@"^ThreadPoolExecutor-\d+_0$", secondName);
        Assert.NotEqual(firstName, secondName);
    }

    [Fact]
    public void Threads_StartOnePerSubmitUpToMaxWorkers()
    {
        var executor = NewThreadPool(maxWorkers: 3, prefix: "lazy");
        var gate = NewGate();

        var futures = Enumerable.Range(0, 6).Select(_ => executor.Submit(TestTasks.ThreadNameAfterGate, gate.Port)).ToList();
        gate.WaitForArrivals(3);
        Assert.Equal(3, gate.Arrivals);
        gate.Open();

        var names = futures.Select(f => f.Result(Timeout)).ToHashSet();
        Assert.Equal(["lazy_0", "lazy_1", "lazy_2"], names.Order());
    }

    [Fact]
    public void Threads_IdleThreadIsReusedInsteadOfStartingAnother()
    {
        var executor = NewThreadPool(maxWorkers: 4, prefix: "reuse");

        var names = Enumerable.Range(0, 20).Select(_ => executor.Submit(TestTasks.CurrentThreadName).Result(Timeout)).ToHashSet();

        Assert.Equal(["reuse_0"], names);
    }

    [Fact]
    public void Threads_AreBackgroundThreads()
    {
        var executor = NewThreadPool(maxWorkers: 1);
        Assert.True(executor.Submit(TestTasks.IsBackgroundThread).Result(Timeout));
    }

    [Fact]
    public void Initializer_RunsOnceInEachThreadBeforeItsFirstTask()
    {
        var initialized = new ConcurrentQueue<string>();
        var executor = NewThreadPool(maxWorkers: 2, prefix: "init", initializer: () => initialized.Enqueue(TestTasks.CurrentThreadName()));
        var gate = NewGate();

        var names = Enumerable.Range(0, 2).Select(_ => executor.Submit(TestTasks.ThreadNameAfterGate, gate.Port)).ToList();
        gate.WaitForArrivals(2);
        Assert.Equal(["init_0", "init_1"], initialized.Order());
        gate.Open();
        names.ForEach(f => f.Result(Timeout));
        Enumerable.Range(0, 10).Select(_ => executor.Submit(TestTasks.NoOp)).ToList().ForEach(f => f.Result(Timeout));

        Assert.Equal(["init_0", "init_1"], initialized.Order());
    }

    [Fact]
    public void Initializer_Throws_QueuedFuturesFailAndEverySubmitAfterIsBroken()
    {
        var failure = new InvalidOperationException("no database");
        using var submitted = new ManualResetEventSlim();
        var executor = NewThreadPool(maxWorkers: 1, initializer: () =>
        {
            // Fail only once every task is queued, so all five meet the broken pool in the queue.
            submitted.Wait(Timeout);
            throw failure;
        });

        var queued = Enumerable.Range(0, 5).Select(i => executor.Submit(TestTasks.Identity, i)).ToList();
        submitted.Set();

        foreach (var future in queued)
        {
            var error = Assert.Throws<BrokenThreadPoolException>(() => future.Result(Timeout));
            Assert.Same(failure, error.InnerException);
            Assert.Contains("no database", error.Message, StringComparison.Ordinal);
        }

        Assert.Throws<BrokenThreadPoolException>(() => executor.Submit(TestTasks.NoOp));
        executor.Shutdown();
        Assert.Throws<BrokenThreadPoolException>(() => executor.Submit(TestTasks.NoOp));
        Assert.IsAssignableFrom<BrokenExecutorException>(new BrokenThreadPoolException());
    }

    [Fact]
    public void Shutdown_WaitTrueFromItsOwnThread_ThrowsInsteadOfDeadlocking()
    {
        var executor = NewThreadPool(maxWorkers: 1);
        var future = executor.Submit(() => executor.Shutdown(wait: true));

        var error = Assert.Throws<InvalidOperationException>(() => future.Result(Timeout));
        Assert.Contains("own threads", error.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => executor.Submit(TestTasks.NoOp));
    }

    [Fact]
    public void Shutdown_WaitFalseFromItsOwnThread_LetsQueuedWorkFinish()
    {
        var executor = NewThreadPool(maxWorkers: 1);
        var gate = NewGate();

        // Held at the gate until the second task is queued behind it, then shuts the pool down.
        var shutdown = executor.Submit(() =>
        {
            TestTasks.PassGate(gate.Port, 0);
            executor.Shutdown(wait: false);
        });
        var queued = executor.Submit(TestTasks.Identity, 4);
        gate.Open();

        shutdown.Result(Timeout);

        Assert.Equal(4, queued.Result(Timeout));
    }

    [Fact]
    public void Shutdown_BeforeAnySubmit_ReturnsAtOnce()
    {
        var executor = NewThreadPool(maxWorkers: 1);
        Assert.True(executor.ShutdownAsync().Wait(Timeout));
        executor.Shutdown(wait: true);
    }

    [Fact]
    public void Submit_FutureCompletedByHandBeforeItRuns_IsNotRun()
    {
        var executor = NewThreadPool(maxWorkers: 1);
        var gate = NewGate();
        executor.Submit(TestTasks.PassGate, gate.Port, 0);
        gate.WaitForArrivals(1);
        var probe = NewGate();
        probe.Open();
        var queued = executor.Submit(TestTasks.PassGate, probe.Port, 1);

        queued.SetResult(-7);
        gate.Open();
        executor.Shutdown(wait: true);

        Assert.Equal(-7, queued.Result(TimeSpan.Zero));
        Assert.Equal(0, probe.Arrivals);
    }

    protected override Executor CreateExecutor(int maxWorkers) => new ThreadPoolExecutor(maxWorkers);

    private static int ThrowIt(Exception error) => throw error;

    private ThreadPoolExecutor NewThreadPool(int maxWorkers, string? prefix = null, Action? initializer = null)
    {
        var executor = new ThreadPoolExecutor(maxWorkers, prefix, initializer);
        Track(executor);
        return executor;
    }
}
