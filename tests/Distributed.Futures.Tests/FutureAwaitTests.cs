using Distributed.Testing;

namespace Distributed.Futures.Tests;

public sealed class FutureAwaitTests
{
    [Fact]
    public async Task Await_Finished_GivesTheResult()
    {
        var future = new Future<int>();
        var awaiting = AwaitAsync(future);
        Assert.False(awaiting.IsCompleted);

        future.SetResult(8);

        Assert.Equal(8, await awaiting.DefaultTimeout());
        Assert.Equal(8, await future);
    }

    [Fact]
    public async Task Await_Failed_ThrowsTheTaskOwnExceptionInstance()
    {
        var future = new Future<int>();
        var error = new FormatException("bad");
        var awaiting = AwaitAsync(future);

        future.SetException(error);

        Assert.Same(error, await Assert.ThrowsAsync<FormatException>(() => awaiting.DefaultTimeout()));
        Assert.Same(error, await Assert.ThrowsAsync<FormatException>(async () => await future));
        Assert.True(future.AsTask().IsFaulted);
    }

    [Fact]
    public async Task Await_Canceled_ThrowsFutureCanceledExceptionAndTheTaskIsCanceled()
    {
        var pending = new Future<int>();
        var awaiting = AwaitAsync(pending);
        var task = pending.AsTask();

        pending.Cancel();

        await Assert.ThrowsAsync<FutureCanceledException>(() => awaiting.DefaultTimeout());
        await Assert.ThrowsAsync<FutureCanceledException>(async () => await pending);
        Assert.True(task.IsCanceled);

        var canceledFirst = new Future<int>();
        canceledFirst.Cancel();
        await Assert.ThrowsAsync<FutureCanceledException>(async () => await canceledFirst);
        Assert.True(canceledFirst.AsTask().IsCanceled);
    }

    [Fact]
    public void AsTask_CalledTwice_ReturnsTheSameTask()
    {
        var future = new Future<int>();
        Assert.Same(future.AsTask(), future.AsTask());
        Assert.Same(future.AsTask(), ((Future)future).AsTask());
    }

    [Fact]
    public void AsTask_CompletesOnlyWhenTheFutureIsDone()
    {
        var future = new Future<int>();
        var task = future.AsTask();
        future.SetRunningOrNotifyCancel();
        Assert.False(task.IsCompleted);

        future.SetResult(1);

        Assert.True(task.Wait(TestTimeouts.Default));
        Assert.Equal(1, task.Result);
    }

    [Fact]
    public async Task AsTask_ContinuationNeverRunsOnTheCompletingThread()
    {
        var future = new Future<int>();
        var continuationThread = future.AsTask().ContinueWith(
            _ => Environment.CurrentManagedThreadId,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        int completingThread = -1;

        var completer = new Thread(() =>
        {
            completingThread = Environment.CurrentManagedThreadId;
            future.SetResult(1);
        });
        completer.Start();
        completer.Join();

        Assert.NotEqual(completingThread, await continuationThread.DefaultTimeout());
    }

    [Fact]
    public async Task Await_NonGenericFuture_CompletesWithoutAValue()
    {
        var typed = new Future<object?>();
        Future future = typed;
        var awaiting = Task.Run(async () => await future);

        typed.SetResult(null);

        await awaiting.DefaultTimeout();
        Assert.True(future.IsDone);
    }

    private static async Task<int> AwaitAsync(Future<int> future) => await future;
}
