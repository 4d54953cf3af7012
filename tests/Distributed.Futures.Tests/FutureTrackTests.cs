using Distributed.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Distributed.Futures.Tests;

public sealed class FutureTrackTests
{
    private static readonly TimeSpan Timeout = TestTimeouts.Default;
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    [Fact]
    public void Track_ChangesInsideTheInterval_AreReportedOnceWhenItIsUp_AndTheFinalAtOnce()
    {
        var clock = new FakeTimeProvider();
        using var progress = new RecordingProgress();
        var futures = Enumerable.Range(0, 5).Select(_ => new Future<int>()).ToList();

        var tracking = Future.Track(futures, progress, new ProgressOptions { Interval = Second, TimeProvider = clock });
        Assert.Equal([0L], progress.Reports.Select(r => r.Done));

        futures[0].SetResult(0);
        futures[1].SetResult(1);
        clock.Advance(Second / 2);
        Assert.Single(progress.Reports);

        // The trailing report: the two changes inside the interval, sent when it is up.
        clock.Advance(Second / 2);
        Assert.Equal([0L, 2L], progress.Reports.Select(r => r.Done));
        Assert.Equal(Second, progress.Last.Elapsed);

        // Nothing changed: the clock alone reports nothing.
        clock.Advance(2 * Second);
        Assert.Equal(2, progress.Reports.Count);

        // An interval after the last report, a change is reported at once.
        futures[2].SetResult(2);
        Assert.Equal([0L, 2L, 3L], progress.Reports.Select(r => r.Done));

        futures[3].SetResult(3);
        Assert.Equal(3, progress.Reports.Count);
        futures[4].SetResult(4);
        Assert.Equal([0L, 2L, 3L, 5L], progress.Reports.Select(r => r.Done));
        Assert.True(progress.Last.IsFinal);
        Assert.True(tracking.IsDone);
        Assert.Same(progress.Last, tracking.Result(Timeout));

        // The timer set for the fourth future's change does not report after the final.
        clock.Advance(10 * Second);
        Assert.Equal(4, progress.Reports.Count);
    }

    [Fact]
    public void Track_RateAndEstimate_FollowTheClock()
    {
        var clock = new FakeTimeProvider();
        using var progress = new RecordingProgress();
        var futures = Enumerable.Range(0, 10).Select(_ => new Future<int>()).ToList();
        Future.Track(futures, progress, new ProgressOptions { Interval = TimeSpan.Zero, TimeProvider = clock });
        Assert.Null(progress.Last.EstimatedRemaining);

        clock.Advance(2 * Second);
        futures.Take(4).ToList().ForEach(f => f.SetResult(1));

        var last = progress.Last;
        Assert.Equal(2 * Second, last.Elapsed);
        Assert.Equal(2.0, last.Rate);
        Assert.Equal(3 * Second, last.EstimatedRemaining);
        Assert.Equal(10, last.Total);
    }

    [Fact]
    public void Track_CountsSuccessesFailuresAndCancellations()
    {
        using var progress = new RecordingProgress();
        var succeeded = new Future<int>();
        var failed = new Future<int>();
        var canceled = new Future<string>();

        var tracking = Future.Track([succeeded, failed, canceled], progress);
        succeeded.SetResult(1);
        failed.SetException(new FormatException());
        canceled.Cancel();

        var final = tracking.Result(Timeout);
        Assert.Equal((1L, 1L, 1L, 3L), (final.Succeeded, final.Failed, final.Canceled, final.Done));
        Assert.True(final.IsFinal);
        Assert.Single(progress.Reports, r => r.IsFinal);
    }

    [Fact]
    public void Track_DuplicatesCountOnce_AndDoneFuturesAtOnce()
    {
        using var progress = new RecordingProgress();
        var done = new Future<int>();
        done.SetResult(1);
        var pending = new Future<int>();

        var tracking = Future.Track([done, pending, done, pending], progress);
        Assert.Equal((1L, 2L), (progress.Last.Done, progress.Last.Total!.Value));

        pending.SetResult(2);
        Assert.Equal(2, tracking.Result(Timeout).Done);
    }

    [Fact]
    public void Track_Empty_SendsOneFinalReportAtOnce()
    {
        using var progress = new RecordingProgress();
        var tracking = Future.Track([], progress);
        var only = Assert.Single(progress.Reports);
        Assert.True(only.IsFinal);
        Assert.Equal(0, only.Total);
        Assert.True(tracking.IsDone);
    }

    [Fact]
    public void Track_Canceled_StopsTheReportsAndLeavesTheFuturesAlone()
    {
        using var progress = new RecordingProgress();
        var futures = Enumerable.Range(0, 3).Select(_ => new Future<int>()).ToList();
        var tracking = Future.Track(futures, progress, new ProgressOptions { Interval = TimeSpan.Zero });

        Assert.True(tracking.Cancel());
        futures.ForEach(f => f.SetResult(1));

        Assert.Single(progress.Reports);
        Assert.All(futures, f => Assert.Equal(1, f.Result(Timeout)));
    }

    [Fact]
    public void Track_SinkThrows_IsReportedAsACallbackFailure_AndTheExecutorGoesOn()
    {
        using var executor = new ThreadPoolExecutor(maxWorkers: 1);
        var failures = new List<FutureCallbackFailedEventArgs>();
        using var progress = new RecordingProgress(_ => throw new InvalidOperationException("sink broke"));
        Future<BatchProgress>? tracking = null;
        void OnFailure(object? sender, FutureCallbackFailedEventArgs e)
        {
            lock (failures)
            {
                // Other tests' callback failures may arrive here too while this handler is attached.
                if (e.Exception.Message == "sink broke")
                {
                    failures.Add(e);
                }
            }
        }

        Future.CallbackFailed += OnFailure;
        try
        {
            using var gate = new ManualResetEventSlim();
            var futures = Enumerable.Range(0, 5).Select(i => executor.Submit(() => { gate.Wait(Timeout); return i; })).ToList();
            tracking = Future.Track(futures, progress, new ProgressOptions { Interval = TimeSpan.Zero });
            var laterCallback = new TaskCompletionSource();
            futures[^1].AddDoneCallback(_ => laterCallback.SetResult());
            gate.Set();

            Assert.Equal([0, 1, 2, 3, 4], futures.Select(f => f.Result(Timeout)));
            Assert.True(tracking.Result(Timeout).IsFinal);
            Assert.True(laterCallback.Task.Wait(Timeout), "a callback added after the tracker's did not run");

            // The one worker thread that ran the throwing sink still runs tasks.
            Assert.Equal(7, executor.Submit(() => 7).Result(Timeout));
        }
        finally
        {
            Future.CallbackFailed -= OnFailure;
        }

        lock (failures)
        {
            Assert.Equal(progress.Reports.Count, failures.Count);
            Assert.All(failures, f => Assert.Same(tracking, f.Future));
        }
    }

    [Fact]
    public void Track_ManyThreadsCompleting_ReportsNeverGoBack_AndTheFinalComesLast()
    {
        using var executor = new ThreadPoolExecutor(maxWorkers: 4);
        using var progress = new RecordingProgress();
        var futures = Enumerable.Range(0, 2000).Select(i => executor.Submit(TestTasks.Square, i % 100)).ToList();

        var final = Future.Track(futures, progress, new ProgressOptions { Interval = TimeSpan.Zero }).Result(Timeout);

        var reports = progress.Reports;
        Assert.Same(final, reports[^1]);
        Assert.Equal(2000, final.Succeeded);
        Assert.Single(reports, r => r.IsFinal);
        for (int i = 1; i < reports.Count; i++)
        {
            Assert.True(reports[i].Done >= reports[i - 1].Done, $"report {i} went back from {reports[i - 1].Done} to {reports[i].Done}");
        }
    }

    [Fact]
    public void Track_BadArguments_ThrowAtTheCall()
    {
        using var progress = new RecordingProgress();
        Assert.Throws<ArgumentNullException>(() => Future.Track(null!, progress));
        Assert.Throws<ArgumentNullException>(() => Future.Track([], null!));
        Assert.Throws<ArgumentException>(() => Future.Track([null!], progress));
        Assert.Throws<ArgumentOutOfRangeException>(() => Future.Track([], progress, new ProgressOptions { Interval = -Second }));
    }
}
