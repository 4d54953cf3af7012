using Distributed.Testing;

namespace Distributed.Futures.Tests;

public sealed class FutureWaitTests
{
    private static readonly TimeSpan Timeout = TestTimeouts.Default;

    [Fact]
    public void Wait_Empty_ReturnsEmptySetsAtOnce()
    {
        var result = Future.Wait(Array.Empty<Future<int>>());
        Assert.Empty(result.Done);
        Assert.Empty(result.NotDone);
    }

    [Fact]
    public void Wait_AllCompleted_ReturnsWhenEveryFutureIsDone()
    {
        var futures = Enumerable.Range(0, 5).Select(_ => new Future<int>()).ToList();
        var waiting = Task.Factory.StartNew(() => Future.Wait(futures, Timeout), TaskCreationOptions.LongRunning);

        futures.ForEach(f => f.SetResult(1));

        var result = waiting.WaitAsync(Timeout).Result;
        Assert.Equal(5, result.Done.Count);
        Assert.Empty(result.NotDone);
    }

    [Fact]
    public void Wait_Timeout_ReturnsThePartialSetsWithoutThrowing()
    {
        var done = Finished(1);
        var pending = new Future<int>();

        var result = Future.Wait([done, pending], TimeSpan.FromMilliseconds(30));

        Assert.Same(done, Assert.Single(result.Done));
        Assert.Same(pending, Assert.Single(result.NotDone));
        Assert.Equal(0, pending.RegisteredCompletionCount);
    }

    [Fact]
    public void Wait_ZeroTimeout_DoesNotWait()
    {
        var pending = new Future<int>();
        var result = Future.Wait([pending], TimeSpan.Zero);
        Assert.Same(pending, Assert.Single(result.NotDone));
    }

    [Fact]
    public void Wait_FirstCompleted_ReturnsAtOnceWhenOneIsAlreadyDone()
    {
        var done = Finished(1);
        var pending = new Future<int>();

        var result = Future.Wait([pending, done], returnWhen: ReturnWhen.FirstCompleted);

        Assert.Same(done, Assert.Single(result.Done));
        Assert.Same(pending, Assert.Single(result.NotDone));
    }

    [Fact]
    public void Wait_FirstCompleted_ReturnsOnTheFirstToFinish()
    {
        var first = new Future<int>();
        var second = new Future<int>();
        var waiting = Task.Factory.StartNew(() => Future.Wait([first, second], Timeout, ReturnWhen.FirstCompleted), TaskCreationOptions.LongRunning);

        second.SetResult(2);

        var result = waiting.WaitAsync(Timeout).Result;
        Assert.Contains(second, result.Done);
        Assert.Contains(first, result.NotDone);
        Assert.Equal(0, first.RegisteredCompletionCount);
    }

    [Fact]
    public void Wait_FirstException_ReturnsOnTheFirstFailure()
    {
        var failing = new Future<int>();
        var pending = new Future<int>();
        var waiting = Task.Factory.StartNew(() => Future.Wait([failing, pending], Timeout, ReturnWhen.FirstException), TaskCreationOptions.LongRunning);

        failing.SetException(new FormatException());

        var result = waiting.WaitAsync(Timeout).Result;
        Assert.Same(failing, Assert.Single(result.Done));
        Assert.Same(pending, Assert.Single(result.NotDone));
    }

    [Fact]
    public void Wait_FirstException_ACanceledFutureDoesNotCount()
    {
        var canceled = new Future<int>();
        canceled.Cancel();
        var pending = new Future<int>();

        var result = Future.Wait([canceled, pending], TimeSpan.FromMilliseconds(30), ReturnWhen.FirstException);

        Assert.Same(canceled, Assert.Single(result.Done));
        Assert.Same(pending, Assert.Single(result.NotDone));
    }

    [Fact]
    public void Wait_FirstExceptionWithoutAnyFailure_ActsAsAllCompleted()
    {
        var a = new Future<int>();
        var b = new Future<int>();
        var waiting = Task.Factory.StartNew(() => Future.Wait([a, b], Timeout, ReturnWhen.FirstException), TaskCreationOptions.LongRunning);

        a.SetResult(1);
        Assert.False(waiting.Wait(TimeSpan.FromMilliseconds(30)));
        b.SetResult(2);

        Assert.Equal(2, waiting.WaitAsync(Timeout).Result.Done.Count);
    }

    [Fact]
    public void Wait_CanceledButNotNotified_CountsAsDoneAtOnce()
    {
        // Deliberate difference from CPython (gh-92001): no SetRunningOrNotifyCancel is needed.
        var canceled = new Future<int>();
        canceled.Cancel();

        var result = Future.Wait([canceled], Timeout);

        Assert.Equal(FutureState.Canceled, canceled.State);
        Assert.Same(canceled, Assert.Single(result.Done));
    }

    [Fact]
    public void Wait_CanceledWhileWaiting_WakesTheWait()
    {
        var future = new Future<int>();
        var waiting = Task.Factory.StartNew(() => Future.Wait([future], Timeout), TaskCreationOptions.LongRunning);

        future.Cancel();

        Assert.Equal([future], waiting.WaitAsync(Timeout).Result.Done);
    }

    [Fact]
    public void Wait_Duplicates_CollapseToOne()
    {
        var future = Finished(1);
        var result = Future.Wait([future, future, future]);
        Assert.Single(result.Done);
    }

    [Fact]
    public void Wait_FuturesOfDifferentExecutors_CanBeMixed()
    {
        using var pool = new ThreadPoolExecutor(1);
        Future fromPool = pool.Submit(TestTasks.Identity, 1);
        var byHand = new Future<string>();
        byHand.SetResult("x");

        var result = Future.Wait([fromPool, byHand], Timeout);

        Assert.Equal(2, result.Done.Count);
    }

    [Fact]
    public void Wait_BadArguments_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => Future.Wait<Future>(null!));
        Assert.Throws<ArgumentException>(() => Future.Wait(new Future<int>[] { null! }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Future.Wait([new Future<int>()], returnWhen: (ReturnWhen)42));
        Assert.Throws<ArgumentOutOfRangeException>(() => { _ = Future.WaitAsync([new Future<int>()], returnWhen: (ReturnWhen)42); });
    }

    [Fact]
    public async Task WaitAsync_AllCompleted_CompletesWhenEveryFutureIsDone()
    {
        var a = new Future<int>();
        var b = new Future<int>();
        var waiting = Future.WaitAsync([a, b]);
        Assert.False(waiting.IsCompleted);

        a.SetResult(1);
        b.Cancel();

        var result = await waiting.DefaultTimeout();
        Assert.Equal(2, result.Done.Count);
        Assert.Equal(0, a.RegisteredCompletionCount);
    }

    [Fact]
    public async Task WaitAsync_Timeout_ReturnsThePartialSets()
    {
        var pending = new Future<int>();
        var result = await Future.WaitAsync([pending, Finished(2)], TimeSpan.FromMilliseconds(30)).DefaultTimeout();
        Assert.Same(pending, Assert.Single(result.NotDone));
        Assert.Equal(2, Assert.Single(result.Done).Result(TimeSpan.Zero));
        Assert.Equal(0, pending.RegisteredCompletionCount);
    }

    [Fact]
    public async Task WaitAsync_TokenCanceled_ThrowsOperationCanceledExceptionAndRemovesItsWaiter()
    {
        var pending = new Future<int>();
        using var cancellation = new CancellationTokenSource();
        var waiting = Future.WaitAsync([pending], cancellationToken: cancellation.Token);

        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.DefaultTimeout());
        Assert.Equal(0, pending.RegisteredCompletionCount);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Future.WaitAsync([pending], cancellationToken: cancellation.Token));
    }

    private static Future<int> Finished(int value)
    {
        var future = new Future<int>();
        future.SetResult(value);
        return future;
    }
}
