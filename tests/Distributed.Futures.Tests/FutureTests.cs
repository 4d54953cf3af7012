using System.Diagnostics;
using System.Runtime.CompilerServices;
using Distributed.Testing;

namespace Distributed.Futures.Tests;

public sealed class FutureTests
{
    private static readonly TimeSpan Timeout = TestTimeouts.Default;

    [Fact]
    public void New_IsPendingAndNeitherDoneRunningNorCanceled()
    {
        var future = new Future<int>();
        Assert.Equal(FutureState.Pending, future.State);
        Assert.False(future.IsDone);
        Assert.False(future.IsRunning);
        Assert.False(future.IsCanceled);
    }

    [Fact]
    public void Cancel_Pending_ReturnsTrueAndRunsCallbacksOnce()
    {
        var future = new Future<int>();
        int calls = 0;
        future.AddDoneCallback(_ => calls++);

        Assert.True(future.Cancel());

        Assert.Equal(FutureState.Canceled, future.State);
        Assert.True(future.IsCanceled);
        Assert.True(future.IsDone);
        Assert.Equal(1, calls);
    }

    [Fact]
    public void Cancel_AlreadyCanceled_ReturnsTrueAndRunsNothingAgain()
    {
        var future = new Future<int>();
        int calls = 0;
        future.AddDoneCallback(_ => calls++);
        future.Cancel();

        Assert.True(future.Cancel());
        Assert.False(future.SetRunningOrNotifyCancel());
        Assert.True(future.Cancel());

        Assert.Equal(FutureState.CanceledAndNotified, future.State);
        Assert.Equal(1, calls);
    }

    [Fact]
    public void Cancel_RunningOrFinished_ReturnsFalseAndKeepsState()
    {
        var running = new Future<int>();
        running.SetRunningOrNotifyCancel();
        Assert.False(running.Cancel());
        Assert.Equal(FutureState.Running, running.State);

        var finished = new Future<int>();
        finished.SetResult(1);
        Assert.False(finished.Cancel());
        Assert.Equal(FutureState.Finished, finished.State);
    }

    [Fact]
    public void Cancel_WakesABlockedResultCall()
    {
        var future = new Future<int>();
        var reader = Task.Factory.StartNew(() => Assert.Throws<FutureCanceledException>(() => future.Result()), TaskCreationOptions.LongRunning);

        future.Cancel();

        Assert.True(reader.Wait(Timeout));
    }

    [Fact]
    public void SetRunningOrNotifyCancel_Pending_MovesToRunningAndRunsNoCallback()
    {
        var future = new Future<int>();
        int calls = 0;
        future.AddDoneCallback(_ => calls++);

        Assert.True(future.SetRunningOrNotifyCancel());

        Assert.Equal(FutureState.Running, future.State);
        Assert.True(future.IsRunning);
        Assert.Equal(0, calls);
    }

    [Fact]
    public void SetRunningOrNotifyCancel_Canceled_MovesToCanceledAndNotifiedAndRunsNoCallback()
    {
        var future = new Future<int>();
        future.Cancel();
        int calls = 0;
        future.AddDoneCallback(_ => calls++);
        Assert.Equal(1, calls);

        Assert.False(future.SetRunningOrNotifyCancel());

        Assert.Equal(FutureState.CanceledAndNotified, future.State);
        Assert.True(future.IsCanceled);
        Assert.Equal(1, calls);
    }

    [Fact]
    public void SetRunningOrNotifyCancel_RunningOrFinished_ThrowsInvalidOperationException()
    {
        var running = new Future<int>();
        running.SetRunningOrNotifyCancel();
        var error = Assert.Throws<InvalidOperationException>(() => running.SetRunningOrNotifyCancel());
        Assert.StartsWith("Future in unexpected state", error.Message, StringComparison.Ordinal);

        var finished = new Future<int>();
        finished.SetResult(1);
        Assert.Throws<InvalidOperationException>(() => finished.SetRunningOrNotifyCancel());
    }

    [Fact]
    public void SetResult_FromPendingOrRunning_Finishes()
    {
        var pending = new Future<string>();
        pending.SetResult("a");
        Assert.Equal("a", pending.Result(TimeSpan.Zero));
        Assert.Equal(FutureState.Finished, pending.State);

        var running = new Future<string>();
        running.SetRunningOrNotifyCancel();
        running.SetResult("b");
        Assert.Equal("b", running.Result(TimeSpan.Zero));
    }

    [Fact]
    public void SetResultOrException_WhenDone_ThrowsInvalidStateAndKeepsTheFirstOutcome()
    {
        var future = new Future<int>();
        future.SetResult(1);

        Assert.Throws<InvalidStateException>(() => future.SetResult(2));
        Assert.Throws<InvalidStateException>(() => future.SetException(new InvalidOperationException()));
        Assert.False(future.TrySetResult(3));
        Assert.Equal(1, future.Result(TimeSpan.Zero));

        var canceled = new Future<int>();
        canceled.Cancel();
        Assert.Throws<InvalidStateException>(() => canceled.SetResult(2));
        Assert.True(canceled.IsCanceled);

        var failed = new Future<int>();
        var first = new FormatException("first");
        failed.SetException(first);
        Assert.Throws<InvalidStateException>(() => failed.SetException(new FormatException("second")));
        Assert.Same(first, failed.Exception(TimeSpan.Zero));
    }

    [Fact]
    public void SetException_Null_ThrowsArgumentNullException()
    {
        var future = new Future<int>();
        Assert.Throws<ArgumentNullException>(() => future.SetException(null!));
        Assert.Equal(FutureState.Pending, future.State);
    }

    [Fact]
    public void Result_Failed_RethrowsTheSameInstanceWithItsOriginalStackTrace()
    {
        var future = new Future<int>();
        future.SetException(CaptureThrown());

        var first = Assert.Throws<InvalidOperationException>(() => future.Result(TimeSpan.Zero));
        var second = Assert.Throws<InvalidOperationException>(() => future.Result(TimeSpan.Zero));

        Assert.Same(first, second);
        Assert.Same(first, future.Exception(TimeSpan.Zero));
        Assert.Contains(nameof(ThrowingMethod), first.StackTrace, StringComparison.Ordinal);
    }

    [Fact]
    public void Result_Canceled_ThrowsFutureCanceledExceptionAtOnce()
    {
        var future = new Future<int>();
        future.Cancel();

        Assert.Throws<FutureCanceledException>(() => future.Result());
        Assert.Throws<FutureCanceledException>(() => ((Future)future).Result());
        Assert.Throws<FutureCanceledException>(() => future.Exception());
        Assert.IsAssignableFrom<OperationCanceledException>(new FutureCanceledException());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-2)]
    [InlineData(-1000)]
    [InlineData(15)]
    public void Result_NotDoneWithinTimeout_ThrowsTimeoutException(int milliseconds)
    {
        // -1 ms is Timeout.InfiniteTimeSpan, which waits forever; every other negative value does not wait.
        var future = new Future<int>();
        Assert.Throws<TimeoutException>(() => future.Result(TimeSpan.FromMilliseconds(milliseconds)));
        Assert.Throws<TimeoutException>(() => future.Exception(TimeSpan.FromMilliseconds(milliseconds)));
    }

    [Fact]
    public void Result_InfiniteOrNullTimeout_WaitsUntilTheResultIsSet()
    {
        var future = new Future<int>();
        var infinite = Task.Factory.StartNew(() => future.Result(System.Threading.Timeout.InfiniteTimeSpan), TaskCreationOptions.LongRunning);
        var unbounded = Task.Factory.StartNew(() => future.Result(), TaskCreationOptions.LongRunning);
        var huge = Task.Factory.StartNew(() => future.Result(TimeSpan.MaxValue), TaskCreationOptions.LongRunning);

        future.SetResult(11);

        Assert.Equal(11, infinite.WaitAsync(Timeout).Result);
        Assert.Equal(11, unbounded.WaitAsync(Timeout).Result);
        Assert.Equal(11, huge.WaitAsync(Timeout).Result);
    }

    [Fact]
    public void Exception_Succeeded_ReturnsNull()
    {
        var future = new Future<int>();
        future.SetResult(4);
        Assert.Null(future.Exception(TimeSpan.Zero));
    }

    [Fact]
    public void NonGenericResult_ReturnsTheBoxedResult()
    {
        Future future = Completed(12);
        Assert.Equal(12, future.Result(TimeSpan.Zero));
    }

    [Fact]
    public void AddDoneCallback_RunsEachOnceInTheOrderAdded()
    {
        var future = new Future<int>();
        var order = new List<string>();
        future.AddDoneCallback(_ => order.Add("first"));
        future.AddDoneCallback((Future<int> f) => order.Add($"typed {f.Result(TimeSpan.Zero)}"));
        future.AddDoneCallback(_ => order.Add("third"));

        future.SetResult(5);
        Assert.Throws<InvalidStateException>(() => future.SetResult(6));

        Assert.Equal(["first", "typed 5", "third"], order);
    }

    [Fact]
    public void AddDoneCallback_OnDoneFuture_RunsAtOnceOnTheCallingThread()
    {
        var future = Completed(1);
        int? callbackThread = null;

        future.AddDoneCallback(_ => callbackThread = Environment.CurrentManagedThreadId);

        Assert.Equal(Environment.CurrentManagedThreadId, callbackThread);
    }

    [Fact]
    public void AddDoneCallback_Null_ThrowsArgumentNullException()
    {
        var future = new Future<int>();
        Assert.Throws<ArgumentNullException>(() => future.AddDoneCallback((Action<Future>)null!));
        Assert.Throws<ArgumentNullException>(() => future.AddDoneCallback((Action<Future<int>>)null!));
    }

    [Fact]
    public void AddDoneCallback_ThatThrows_IsReportedAndLaterCallbacksStillRun()
    {
        var future = new Future<int>();
        var failure = new InvalidOperationException("callback failure");
        var reported = new List<FutureCallbackFailedEventArgs>();
        void Report(object? sender, FutureCallbackFailedEventArgs e)
        {
            if (ReferenceEquals(e.Future, future))
            {
                reported.Add(e);
            }
        }

        bool laterRan = false;
        future.AddDoneCallback(_ => throw failure);
        future.AddDoneCallback(_ => laterRan = true);
        Future.CallbackFailed += Report;
        try
        {
            future.SetResult(1);
        }
        finally
        {
            Future.CallbackFailed -= Report;
        }

        Assert.True(laterRan);
        var report = Assert.Single(reported);
        Assert.Same(failure, report.Exception);
        Assert.Equal(1, future.Result(TimeSpan.Zero));
    }

    [Fact]
    public void AddDoneCallback_CallbackUsesTheFuture_RunsOutsideTheLock()
    {
        var future = new Future<int>();
        var fromOtherThread = new TaskCompletionSource<int>();
        future.AddDoneCallback(f =>
        {
            // Another thread takes the future's lock while this callback runs: it would deadlock if
            // callbacks ran under the lock.
            var other = Task.Run(() => future.Result(TimeSpan.Zero) + (future.Cancel() ? 100 : 0));
            fromOtherThread.SetResult(other.Wait(Timeout) ? other.Result : -1);
            f.AddDoneCallback(_ => { });
        });

        future.SetResult(3);

        Assert.Equal(3, fromOtherThread.Task.Result);
    }

    [Fact]
    public void ToString_SaysTheStateAndTheResultOrExceptionType()
    {
        var future = new Future<int>();
        Assert.Equal("<Future<Int32> state=Pending>", future.ToString());
        future.SetRunningOrNotifyCancel();
        Assert.Equal("<Future<Int32> state=Running>", future.ToString());
        future.SetResult(1);
        Assert.Equal("<Future<Int32> state=Finished returned Int32>", future.ToString());

        var failed = new Future<List<string>>();
        failed.SetException(new FormatException());
        Assert.Equal("<Future<List<String>> state=Finished raised FormatException>", failed.ToString());

        var canceled = new Future<object?>();
        canceled.Cancel();
        Assert.Equal("<Future<Object> state=Canceled>", canceled.ToString());

        var nothing = new Future<object?>();
        nothing.SetResult(null);
        Assert.Equal("<Future<Object> state=Finished returned null>", nothing.ToString());
    }

    private static Future<int> Completed(int value)
    {
        var future = new Future<int>();
        future.SetResult(value);
        return future;
    }

    private static InvalidOperationException CaptureThrown()
    {
        try
        {
            ThrowingMethod();
            throw new UnreachableException();
        }
        catch (InvalidOperationException e)
        {
            return e;
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowingMethod() => throw new InvalidOperationException("thrown");
}
