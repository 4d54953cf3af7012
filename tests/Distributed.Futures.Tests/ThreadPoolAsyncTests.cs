using Distributed.Testing;

namespace Distributed.Futures.Tests;

/// <summary>Async functions on the thread pool: what only an executor in this process shows.</summary>
public sealed class ThreadPoolAsyncTests
{
    private static TimeSpan Timeout => TestTimeouts.Default;

    [Fact]
    public void AsyncLambdas_BindToTheAsyncOverloadsWithoutCasts()
    {
        using var executor = new ThreadPoolExecutor(2);
        int offset = 1;

        Future<int> none = executor.Submit(async () =>
        {
            await Task.Yield();
            return 41 + offset;
        });
        Future<string> one = executor.Submit(async (string s) =>
        {
            await Task.Yield();
            return s + "!";
        }, "hi");
        Future nothing = executor.Submit(async () => await Task.Yield());

        Assert.Equal(42, none.Result(Timeout));
        Assert.Equal("hi!", one.Result(Timeout));
        Assert.Null(nothing.Result(Timeout));
    }

    [Fact]
    public void AwaitingTask_GivesItsThreadBackForOtherWork()
    {
        using var executor = new ThreadPoolExecutor(2, threadNamePrefix: "async-pin");
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var awaiting = executor.Submit(async () =>
        {
            await release.Task.ConfigureAwait(false);
            return Thread.CurrentThread.Name;
        });

        // While its task awaits, the one thread started is idle again: the task does not hold it.
        TestTimeouts.WaitUntil(() => awaiting.IsRunning && executor.IdleThreadCount == 1, "the awaiting task's thread is idle");
        var next = executor.Submit(TestTasks.CurrentThreadName);

        Assert.Equal("async-pin_0", next.Result(Timeout));
        Assert.False(awaiting.IsDone);
        release.SetResult();
        Assert.NotEqual("async-pin_0", awaiting.Result(Timeout));
    }

    [Fact]
    public void AwaitingTasks_HoldTheirPlaces_ThenQueuedWorkRuns()
    {
        using var executor = new ThreadPoolExecutor(1);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var awaiting = executor.Submit(async () =>
        {
            await release.Task.ConfigureAwait(false);
            return 1;
        });
        TestTimeouts.WaitUntil(() => awaiting.IsRunning && executor.IdleThreadCount == 1, "the awaiting task's thread is idle");

        var queued = executor.Submit(TestTasks.Identity, 2);

        // MaxWorkers 1 and one task running (awaiting): the next waits, though a thread is idle.
        Assert.Contains(queued, Future.Wait([queued], TimeSpan.FromMilliseconds(200)).NotDone);
        release.SetResult();
        Assert.Equal(1, awaiting.Result(Timeout));
        Assert.Equal(2, queued.Result(Timeout));
    }

    [Fact]
    public async Task ShutdownWait_FromAnAwaitingTaskOfThePool_IsRefused()
    {
        var executor = new ThreadPoolExecutor(1);
        var future = executor.Submit(async () =>
        {
            await Task.Yield();
            executor.Shutdown(wait: true);
        });

        await Assert.ThrowsAsync<InvalidOperationException>(() => future.AsTask().DefaultTimeout());
        await executor.ShutdownAsync().DefaultTimeout();
    }

    [Fact]
    public async Task ShutdownWait_WithAwaitingTasksAndWorkQueuedBehindThem_Returns()
    {
        var executor = new ThreadPoolExecutor(2);
        var first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var second = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var a = executor.Submit(async () =>
        {
            await first.Task.ConfigureAwait(false);
            return 1;
        });
        var b = executor.Submit(async () =>
        {
            await second.Task.ConfigureAwait(false);
            return 2;
        });
        TestTimeouts.WaitUntil(() => a.IsRunning && b.IsRunning, "both tasks are awaiting");
        var queued = executor.Submit(TestTasks.Identity, 3);

        var shutdown = Task.Run(() => executor.Shutdown(wait: true));
        first.SetResult();
        Assert.Equal(3, queued.Result(Timeout));
        second.SetResult();

        await shutdown.DefaultTimeout();
        Assert.Equal([1, 2], new[] { a.Result(TimeSpan.Zero), b.Result(TimeSpan.Zero) });
    }

    [Fact]
    public void ShutdownWait_FromADoneCallbackOfAnAwaitedTask_IsRefused()
    {
        using var executor = new ThreadPoolExecutor(1);
        var release = new TaskCompletionSource();
        var refused = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var future = executor.Submit(() => release.Task);
        future.AddDoneCallback(_ =>
        {
            try
            {
                executor.Shutdown(wait: true);
                refused.SetResult(null);
            }
            catch (InvalidOperationException error)
            {
                refused.SetResult(error);
            }
        });

        TestTimeouts.WaitUntil(() => future.IsRunning, "the task is awaiting");
        release.SetResult();

        Assert.True(refused.Task.Wait(Timeout), "the callback's shutdown never returned");
        Assert.IsType<InvalidOperationException>(refused.Task.Result);
    }
}
