using System.Runtime.CompilerServices;
using Distributed.Testing;

namespace Distributed.Futures.Tests;

public sealed class FutureAsCompletedTests
{
    private static readonly TimeSpan Timeout = TestTimeouts.Default;

    [Fact]
    public void AsCompleted_YieldsAlreadyDoneFirstThenEachAsItCompletes()
    {
        var done = Finished(1);
        var later = new Future<int>();
        var last = new Future<int>();

        using var completed = Future.AsCompleted([later, last, done], Timeout).GetEnumerator();

        Assert.True(completed.MoveNext());
        Assert.Same(done, completed.Current);
        last.SetResult(3);
        Assert.True(completed.MoveNext());
        Assert.Same(last, completed.Current);
        later.SetException(new FormatException());
        Assert.True(completed.MoveNext());
        Assert.Same(later, completed.Current);
        Assert.False(completed.MoveNext());
    }

    [Fact]
    public void AsCompleted_Duplicates_AreYieldedOnce()
    {
        var future = Finished(1);
        Assert.Single(Future.AsCompleted([future, future, future]));
    }

    [Fact]
    public void AsCompleted_CanceledButNotNotified_IsYielded()
    {
        // Deliberate difference from CPython (gh-87893): no SetRunningOrNotifyCancel is needed.
        var canceled = new Future<int>();
        canceled.Cancel();
        var pending = new Future<int>();
        using var completed = Future.AsCompleted([pending, canceled], Timeout).GetEnumerator();

        Assert.True(completed.MoveNext());
        Assert.Same(canceled, completed.Current);
        pending.Cancel();
        Assert.True(completed.MoveNext());
        Assert.Same(pending, completed.Current);
    }

    [Fact]
    public void AsCompleted_Empty_YieldsNothing()
    {
        Assert.Empty(Future.AsCompleted(Array.Empty<Future<int>>(), TimeSpan.Zero));
    }

    [Fact]
    public void AsCompleted_TimeoutPasses_ThrowsWithTheUnfinishedCount()
    {
        var done = Finished(1);
        var pending = Enumerable.Range(0, 3).Select(_ => new Future<int>()).ToList();

        using var completed = Future.AsCompleted([.. pending, done], TimeSpan.FromMilliseconds(30)).GetEnumerator();

        Assert.True(completed.MoveNext());
        Assert.Same(done, completed.Current);
        var error = Assert.Throws<TimeoutException>(() => completed.MoveNext());
        Assert.Equal("3 (of 4) futures unfinished", error.Message);
        Assert.All(pending, f => Assert.Equal(0, f.RegisteredCompletionCount));
    }

    [Fact]
    public void AsCompleted_ZeroTimeout_YieldsTheDoneOnesThenThrows()
    {
        var done = Finished(1);
        var pending = new Future<int>();
        using var completed = Future.AsCompleted([pending, done], TimeSpan.Zero).GetEnumerator();

        Assert.True(completed.MoveNext());
        Assert.Same(done, completed.Current);
        Assert.Throws<TimeoutException>(() => completed.MoveNext());
    }

    [Fact]
    public void AsCompleted_Timeout_CountsFromTheFirstMoveNext()
    {
        var pending = new Future<int>();
        var sequence = Future.AsCompleted([pending], TimeSpan.FromSeconds(1));

        // Deliberately let longer than the timeout pass before the iteration starts.
        Thread.Sleep(TimeSpan.FromSeconds(1.2));
        using var completed = sequence.GetEnumerator();
        var completer = Task.Run(() => pending.SetResult(1));

        Assert.True(completed.MoveNext());
        Assert.Same(pending, completed.Current);
        completer.Wait(Timeout);
    }

    [Fact]
    public void AsCompleted_DisposedEarly_RemovesItsWaiterFromPendingFutures()
    {
        var pending = new Future<int>();
        using (var completed = Future.AsCompleted([pending, Finished(1)], Timeout).GetEnumerator())
        {
            Assert.True(completed.MoveNext());
            Assert.Equal(1, pending.RegisteredCompletionCount);
        }

        Assert.Equal(0, pending.RegisteredCompletionCount);
    }

    [Fact]
    public void AsCompleted_KeepsNoReferenceToAFutureItHasMovedPast()
    {
        var futures = Enumerable.Range(0, 4).Select(Finished).ToList();
        var enumerator = StartAsCompleted(futures);
        var yielded = new List<WeakReference>();

        while (enumerator.MoveNext())
        {
            yielded.Add(TakeAndForget(enumerator, futures));
        }

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        Assert.All(yielded, weak => Assert.False(weak.IsAlive));
        GC.KeepAlive(enumerator);
    }

    [Fact]
    public void AsCompleted_NullInput_ThrowsAtTheCall()
    {
        Assert.Throws<ArgumentNullException>(() => Future.AsCompleted<Future>(null!));
        Assert.Throws<ArgumentNullException>(() => Future.AsCompletedAsync<Future>(null!));
        Assert.Throws<ArgumentException>(() => Future.AsCompleted(new Future<int>[] { null! }).ToList());
    }

    [Fact]
    public async Task AsCompletedAsync_YieldsAlreadyDoneFirstThenEachAsItCompletes()
    {
        var done = Finished(1);
        var later = new Future<int>();
        var yielded = new List<Future<int>>();

        var iteration = Task.Run(async () =>
        {
            await foreach (var future in Future.AsCompletedAsync([later, done]))
            {
                yielded.Add(future);
                if (future == done)
                {
                    later.SetResult(2);
                }
            }
        });

        await iteration.DefaultTimeout();
        Assert.Equal(new[] { done, later }, yielded);
        Assert.Equal(0, later.RegisteredCompletionCount);
    }

    [Fact]
    public async Task AsCompletedAsync_TokenCanceled_ThrowsOperationCanceledException()
    {
        var pending = new Future<int>();
        using var cancellation = new CancellationTokenSource();
        var iteration = Task.Run(async () =>
        {
            await foreach (var unused in Future.AsCompletedAsync([pending], cancellation.Token))
            {
                Assert.Fail("nothing completed");
            }
        });

        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => iteration.DefaultTimeout());
        Assert.Equal(0, pending.RegisteredCompletionCount);
    }

    // Separate methods so that no stack slot of the test keeps a copy of the input or a future alive.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static IEnumerator<Future<int>> StartAsCompleted(List<Future<int>> futures) =>
        Future.AsCompleted(futures.ToArray(), Timeout).GetEnumerator();

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference TakeAndForget(IEnumerator<Future<int>> enumerator, List<Future<int>> futures)
    {
        var future = enumerator.Current;
        futures.Remove(future);
        return new WeakReference(future);
    }

    private static Future<int> Finished(int value)
    {
        var future = new Future<int>();
        future.SetResult(value);
        return future;
    }
}
