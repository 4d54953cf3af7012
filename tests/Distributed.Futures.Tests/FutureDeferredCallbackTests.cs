using Distributed.Testing;

namespace Distributed.Futures.Tests;

/// <summary>
/// The completion used by executors whose completing thread reads a stream: waiters and awaiters
/// are told at once on that thread, the user callbacks go, in order, to the runner it is given.
/// </summary>
public sealed class FutureDeferredCallbackTests
{
    private static readonly TimeSpan Timeout = TestTimeouts.Default;

    [Fact]
    public void TrySetResult_TellsWaitersNow_AndHandsTheCallbacksOver()
    {
        var future = new Future<int>();
        var ran = new List<int>();
        future.AddDoneCallback(_ => ran.Add(1));
        future.AddDoneCallback(_ => ran.Add(2));
        var awaiting = future.AsTask();
        var handedOver = new List<Action>();

        Assert.True(future.TrySetResult(7, handedOver.Add));

        Assert.Equal(7, future.Result(TimeSpan.Zero));
        Assert.True(awaiting.Wait(Timeout), "await was not told before the callbacks ran");
        Assert.Empty(ran);
        Assert.Single(handedOver);

        handedOver[0]();

        Assert.Equal([1, 2], ran);
    }

    [Fact]
    public void TrySetException_TellsWaitersNow_AndHandsTheCallbacksOver()
    {
        var future = new Future<int>();
        Exception? seen = null;
        future.AddDoneCallback(f => seen = f.Exception(TimeSpan.Zero));
        var handedOver = new List<Action>();
        var error = new InvalidOperationException("boom");

        Assert.True(future.TrySetException(error, handedOver.Add));

        Assert.Same(error, future.Exception(TimeSpan.Zero));
        Assert.Null(seen);
        handedOver.Single()();
        Assert.Same(error, seen);
    }

    [Fact]
    public void NoCallbacks_NothingIsHandedOver()
    {
        var future = new Future<int>();
        var waiting = Task.Run(() => future.Result(Timeout));
        TestTimeouts.WaitUntil(() => future.RegisteredCompletionCount == 1, "the waiter is registered");
        var handedOver = new List<Action>();

        Assert.True(future.TrySetResult(3, handedOver.Add));

        Assert.Empty(handedOver);
        Assert.True(waiting.Wait(Timeout));
        Assert.Equal(3, waiting.Result);
    }

    [Fact]
    public void AFutureAlreadyDone_IsLeftAsItWas()
    {
        var future = new Future<int>();
        future.SetResult(1);
        var handedOver = new List<Action>();

        Assert.False(future.TrySetResult(2, handedOver.Add));
        Assert.False(future.TrySetException(new InvalidOperationException(), handedOver.Add));

        Assert.Equal(1, future.Result(TimeSpan.Zero));
        Assert.Empty(handedOver);
    }
}
