using Distributed.Testing;

namespace Distributed.Futures.Tests;

/// <summary>
/// What a completing future tells first: waiters (Wait, AsCompleted, await) before user callbacks,
/// as Python notifies its waiters before it invokes callbacks, so a blocking callback holds up nobody.
/// </summary>
public sealed class FutureCompletionOrderTests
{
    private static readonly TimeSpan Timeout = TestTimeouts.Default;

    [Fact]
    public void Wait_IsWokenBeforeACallbackThatWaitsForIt()
    {
        var future = new Future<int>();
        using var waitReturned = new ManualResetEventSlim();
        bool callbackSawWaitReturn = false;
        future.AddDoneCallback(_ => callbackSawWaitReturn = waitReturned.Wait(Timeout));
        var waiting = Task.Factory.StartNew(
            () =>
            {
                Future.Wait([future], Timeout);
                waitReturned.Set();
            },
            TaskCreationOptions.LongRunning);
        TestTimeouts.WaitUntil(() => future.RegisteredCompletionCount == 2, "Wait has installed its waiter");

        future.SetResult(1);

        Assert.True(callbackSawWaitReturn, "the callback ran before Wait was woken");
        Assert.True(waiting.Wait(Timeout));
    }

    [Fact]
    public void AsCompletedAndAwait_AreWokenBeforeABlockingCallback()
    {
        var future = new Future<int>();
        using var othersWoke = new CountdownEvent(2);
        bool callbackSawThem = false;
        future.AddDoneCallback(_ => callbackSawThem = othersWoke.Wait(Timeout));
        var iterating = Task.Factory.StartNew(
            () =>
            {
                Assert.Single(Future.AsCompleted([future], Timeout));
                othersWoke.Signal();
            },
            TaskCreationOptions.LongRunning);
        var awaiting = AwaitThenSignal(future, othersWoke);
        TestTimeouts.WaitUntil(() => future.RegisteredCompletionCount == 3, "AsCompleted and await are registered");

        future.SetResult(1);

        Assert.True(callbackSawThem, "the callback ran before AsCompleted and await were woken");
        Assert.True(iterating.Wait(Timeout));
        Assert.True(awaiting.Wait(Timeout));
    }

    [Fact]
    public void AsCompleted_InputThatFailsPartWay_LeavesNoWaiterBehind()
    {
        var pending = new Future<int>();

        IEnumerable<Future<int>> Failing()
        {
            yield return pending;
            throw new FormatException("input broke");
        }

        Assert.Throws<FormatException>(() => Future.AsCompleted(Failing()).ToList());
        Assert.Throws<ArgumentException>(() => Future.AsCompleted(new[] { pending, null! }).ToList());
        Assert.Equal(0, pending.RegisteredCompletionCount);
    }

    [Fact]
    public void DoneAndNotDone_TakesAnyElementType()
    {
        var sets = new DoneAndNotDone<string>(new HashSet<string> { "a" }, new HashSet<string>());
        Assert.Single(sets.Done);
    }

    private static async Task AwaitThenSignal(Future<int> future, CountdownEvent signal)
    {
        await future;
        signal.Signal();
    }
}
