using System.Diagnostics;
using Distributed.Testing;

namespace Distributed.Futures.Tests;

/// <summary>
/// Many threads race every operation on the same futures. Whatever the interleaving: exactly one
/// outcome wins, every callback runs exactly once, every reader sees that one outcome, and nothing
/// deadlocks (each round is bounded by the default timeout).
/// </summary>
public sealed class FutureConcurrencyStressTests
{
    private const int Rounds = 300;
    private const int FuturesPerRound = 8;
    private const int Threads = 8;

    // Far longer than any completion takes, far shorter than the test's patience.
    private static readonly TimeSpan MissedEventLimit = TimeSpan.FromSeconds(10);

    [Fact]
    public void RacingCancelSetResultCallbacksAndReaders_EveryCallbackRunsOnceAndOneOutcomeWins()
    {
        for (int round = 0; round < Rounds; round++)
        {
            var futures = Enumerable.Range(0, FuturesPerRound).Select(_ => new Future<int>()).ToArray();
            var callbackRuns = new int[FuturesPerRound, Threads];
            var outcomes = new string?[FuturesPerRound, Threads];
            using var start = new Barrier(Threads);

            var workers = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
            {
                start.SignalAndWait();
                for (int i = 0; i < FuturesPerRound; i++)
                {
                    int index = i;
                    var future = futures[i];
                    future.AddDoneCallback(_ => Interlocked.Increment(ref callbackRuns[index, t]));
                    switch ((t + i) % 4)
                    {
                        case 0:
                            future.Cancel();
                            break;
                        case 1:
                            future.TrySetResult(t);
                            break;
                        case 2:
                            future.TrySetException(new FormatException());
                            break;
                    }

                    outcomes[i, t] = Read(future);
                }
            })).ToList();

            workers.ForEach(w => w.Start());
            foreach (var worker in workers)
            {
                Assert.True(worker.Join(TestTimeouts.Default), $"a thread deadlocked in round {round}");
            }

            for (int i = 0; i < FuturesPerRound; i++)
            {
                Assert.True(futures[i].IsDone);
                string final = Read(futures[i]);
                for (int t = 0; t < Threads; t++)
                {
                    Assert.Equal(1, callbackRuns[i, t]);
                    Assert.Equal(final, outcomes[i, t]);
                }
            }
        }
    }

    [Fact]
    public void RacingCancelAgainstSetRunning_EitherItRunsOrItIsCanceledNeverBoth()
    {
        for (int round = 0; round < Rounds * 10; round++)
        {
            var future = new Future<int>();
            using var start = new Barrier(2);
            bool canceled = false;
            bool running = false;
            var canceler = new Thread(() =>
            {
                start.SignalAndWait();
                canceled = future.Cancel();
            });
            canceler.Start();
            start.SignalAndWait();
            running = future.SetRunningOrNotifyCancel();
            Assert.True(canceler.Join(TestTimeouts.Default));

            Assert.NotEqual(canceled, running);
            Assert.Equal(running ? FutureState.Running : FutureState.CanceledAndNotified, future.State);
        }
    }

    [Theory]
    [InlineData(ReturnWhen.AllCompleted)]
    [InlineData(ReturnWhen.FirstCompleted)]
    [InlineData(ReturnWhen.FirstException)]
    public void WaitRacingCompletion_NeverMissesIt(ReturnWhen returnWhen)
    {
        // A completion landing between Wait's look at the futures and its waiter's installation must
        // still end the wait; a missed one would make Wait sleep out its whole timeout.
        for (int round = 0; round < Rounds * 10; round++)
        {
            var futures = new[] { new Future<int>(), new Future<int>() };
            using var start = new Barrier(2);
            var completer = new Thread(() =>
            {
                start.SignalAndWait();
                futures[0].Cancel();
                futures[1].TrySetException(new FormatException());
            });
            completer.Start();
            start.SignalAndWait();

            // A missed completion does not show in the result, only in when Wait returns: at its
            // timeout instead of at the completion. So the timeout here is the thing checked.
            var watch = Stopwatch.StartNew();
            var result = Future.Wait(futures, MissedEventLimit, returnWhen);
            Assert.True(watch.Elapsed < MissedEventLimit, $"Wait({returnWhen}) slept out its timeout in round {round}: it missed a completion");

            Assert.True(completer.Join(TestTimeouts.Default));
            Assert.NotEmpty(result.Done);
            Assert.Empty(Future.Wait(futures, TimeSpan.Zero).NotDone);
        }
    }

    [Fact]
    public void AsCompletedRacingCompletion_YieldsEveryFuture()
    {
        for (int round = 0; round < Rounds * 10; round++)
        {
            var futures = new[] { new Future<int>(), new Future<int>(), new Future<int>() };
            using var start = new Barrier(2);
            var completer = new Thread(() =>
            {
                start.SignalAndWait();
                futures[0].TrySetResult(1);
                futures[1].Cancel();
                futures[2].TrySetException(new FormatException());
            });
            completer.Start();
            start.SignalAndWait();

            // A missed completion would surface as AsCompleted's TimeoutException.
            var yielded = Future.AsCompleted(futures, MissedEventLimit).ToList();

            Assert.True(completer.Join(TestTimeouts.Default));
            Assert.Equal(3, yielded.Distinct().Count());
        }
    }

    [Fact]
    public void ManyBlockedReaders_AllWakeOnOneSetResult()
    {
        var future = new Future<int>();
        var readers = Enumerable.Range(0, 16)
            .Select(_ => Task.Factory.StartNew(() => future.Result(TestTimeouts.Default), TaskCreationOptions.LongRunning))
            .ToArray();

        future.SetResult(99);

        Assert.True(Task.WaitAll(readers, TestTimeouts.Default));
        Assert.All(readers, r => Assert.Equal(99, r.Result));
    }

    // The outcome as a reader sees it; blocks until done (bounded).
    private static string Read(Future<int> future)
    {
        try
        {
            return $"result {future.Result(TestTimeouts.Default)}";
        }
        catch (FutureCanceledException)
        {
            return "canceled";
        }
        catch (FormatException)
        {
            return "failed";
        }
    }
}
