using Distributed.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Distributed.Futures.Tests;

/// <summary>Per-task options on the thread pool, where the clock can be a fake one: the deadline is exact.</summary>
public sealed class ThreadPoolOptionsTests
{
    private static TimeSpan Timeout => TestTimeouts.Default;

    [Fact]
    public void Timeout_FiresAtTheDeadline_NotBefore_AndSignalsTheTasksToken()
    {
        var clock = new FakeTimeProvider();
        using var executor = new ThreadPoolExecutor(1) { TimeProvider = clock };
        using var started = new ManualResetEventSlim();
        var limit = TimeSpan.FromSeconds(5);
        var sawToken = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);

        var future = executor.With(new TaskOptions { Timeout = limit }).Submit(
            (CancellationToken token) =>
            {
                started.Set();
                sawToken.SetResult(token.WaitHandle.WaitOne(Timeout));
                return 1;
            },
            CancellationToken.None);
        Assert.True(started.Wait(Timeout));

        clock.Advance(limit - TimeSpan.FromMilliseconds(1));
        Assert.False(future.IsDone);
        clock.Advance(TimeSpan.FromMilliseconds(1));

        var error = Assert.IsType<TimeoutException>(future.Exception(Timeout));
        Assert.Contains("5 s", error.Message, StringComparison.Ordinal);
        Assert.True(sawToken.Task.Wait(Timeout) && sawToken.Task.Result, "the task's token was signaled at the deadline");
    }

    [Fact]
    public void Timeout_RunEndingFirst_KeepsItsResult_AndTheLaterDeadlineChangesNothing()
    {
        var clock = new FakeTimeProvider();
        using var executor = new ThreadPoolExecutor(1) { TimeProvider = clock };

        var future = executor.With(new TaskOptions { Timeout = TimeSpan.FromSeconds(1) }).Submit(() => 7);
        Assert.Equal(7, future.Result(Timeout));
        clock.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal(7, future.Result(Timeout));
    }

    [Fact]
    public void Timeout_TheCallersTokenStillCancels_AsItDoesWithoutATimeout()
    {
        var clock = new FakeTimeProvider();
        using var executor = new ThreadPoolExecutor(1) { TimeProvider = clock };
        using var started = new ManualResetEventSlim();
        using var source = new CancellationTokenSource();

        var future = executor.With(new TaskOptions { Timeout = TimeSpan.FromSeconds(5) }).Submit(
            async (CancellationToken token) =>
            {
                started.Set();
                await Task.Delay(Timeout * 2, token).ConfigureAwait(false);
                return 1;
            },
            source.Token);
        Assert.True(started.Wait(Timeout));
        source.Cancel();

        Assert.Throws<FutureCanceledException>(() => future.Result(Timeout));
    }

    [Fact]
    public void Retry_SyncTask_RunsAgainOnTheSameThreadUntilItSucceeds()
    {
        using var executor = new ThreadPoolExecutor(1);
        int attempts = 0;
        var options = new TaskOptions { MaxRetries = 4, RetryOn = [typeof(IOException)] };

        var future = executor.With(options).Submit(() => ++attempts < 3 ? throw new IOException($"attempt {attempts}") : attempts);

        Assert.Equal(3, future.Result(Timeout));
    }

    [Fact]
    public void Retry_AsyncTask_RetriesAnExceptionThrownAfterAnAwait()
    {
        using var executor = new ThreadPoolExecutor(1);
        int attempts = 0;
        var options = new TaskOptions { MaxRetries = 1, RetryOn = [typeof(IOException)] };

        var future = executor.With(options).Submit(async () =>
        {
            await Task.Yield();
            return ++attempts == 1 ? throw new IOException("first") : attempts;
        });

        Assert.Equal(2, future.Result(Timeout));
    }

    [Fact]
    public void Retry_CallersTokenCanceled_IsNotRetried()
    {
        using var executor = new ThreadPoolExecutor(1);
        using var source = new CancellationTokenSource();
        int attempts = 0;
        var options = new TaskOptions { MaxRetries = 3, RetryOn = [typeof(OperationCanceledException)] };

        var future = executor.With(options).Submit(
            (CancellationToken token) =>
            {
                attempts++;
                source.Cancel();
                token.ThrowIfCancellationRequested();
                return 0;
            },
            source.Token);

        Assert.Throws<FutureCanceledException>(() => future.Result(Timeout));
        Assert.Equal(1, attempts);
    }

    [Fact]
    public void Priority_NegativeAndPositiveLanes_AroundTheDefault()
    {
        using var executor = new ThreadPoolExecutor(1);
        using var release = new ManualResetEventSlim();
        using var started = new ManualResetEventSlim();
        var order = new List<int>();
        var blocker = executor.Submit(() =>
        {
            started.Set();
            release.Wait(Timeout);
        });
        Assert.True(started.Wait(Timeout));

        var futures = new[] { 0, -1, 3, 0, 3, 7, -1 }
            .Select((priority, index) => executor.With(new TaskOptions { Priority = priority }).Submit(() =>
            {
                lock (order)
                {
                    order.Add(index);
                }
            }))
            .ToList();
        release.Set();

        futures.ForEach(future => future.Result(Timeout));
        Assert.Equal([5, 2, 4, 0, 3, 1, 6], order);
        blocker.Result(Timeout);
    }
}
