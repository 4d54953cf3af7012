using Distributed.Futures;
using Xunit;

namespace Distributed.Testing;

public abstract partial class ExecutorContractTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    public void Map_WithProgress_ReachesTheTotalInOneFinalReport(int chunkSize)
    {
        var executor = NewExecutor();
        using var progress = new RecordingProgress();

        var results = executor.Map(TestTasks.Square, Enumerable.Range(0, 50), Timeout, chunkSize)
            .WithProgress(progress, new ProgressOptions { Interval = TimeSpan.Zero });

        Assert.Equal(Enumerable.Range(0, 50).Select(i => i * i), results);
        var reports = progress.Reports;
        var final = Assert.Single(reports, r => r.IsFinal);
        Assert.Same(final, reports[^1]);
        Assert.Equal(50, final.Total);
        Assert.Equal(50, final.Succeeded);
        Assert.Equal(50, final.Done);
        Assert.All(reports, r => Assert.Equal(50, r.Total));
        Assert.Equal(reports.Select(r => r.Done).Order(), reports.Select(r => r.Done));
    }

    [Fact]
    public void Map_WithProgress_TaskFails_EndsWithAFinalReportCountingItFailed()
    {
        var executor = NewExecutor();
        using var progress = new RecordingProgress();

        var results = executor.Map(TestTasks.Throw, ["first", "second", "third"], Timeout).WithProgress(progress);
        Assert.Throws<InvalidOperationException>(() => results.ToList());

        // The iteration ended at the first item: the final report says so, the rest never counted.
        var final = progress.WaitForFinal();
        Assert.Equal((0L, 1L, 0L, 1L), (final.Succeeded, final.Failed, final.Canceled, final.Done));
        Assert.Equal(3, final.Total);
        Assert.Single(progress.Reports, r => r.IsFinal);
    }

    [Fact]
    public void Track_SubmittedFutures_FinalCountsEveryOutcomeOnce()
    {
        var executor = NewExecutor();
        using var progress = new RecordingProgress();
        var futures = new List<Future>();
        futures.AddRange(Enumerable.Range(0, 10).Select(i => executor.Submit(TestTasks.Square, i)));
        futures.Add(executor.Submit(TestTasks.Throw, "tracked failure"));

        var tracking = Future.Track(futures, progress);

        var final = tracking.Result(Timeout);
        Assert.Same(final, progress.Last);
        Assert.Single(progress.Reports, r => r.IsFinal);
        Assert.Equal((10L, 1L, 0L, 11L, 11L), (final.Succeeded, final.Failed, final.Canceled, final.Done, final.Total!.Value));
    }

    [Fact]
    public void Track_SinkThrowsOnEveryReport_TheFuturesAndTheExecutorGoOn()
    {
        var executor = NewExecutor(maxWorkers: 1);
        const string Message = "contract: the progress sink broke";
        int failures = 0;
        void OnFailure(object? sender, FutureCallbackFailedEventArgs e)
        {
            if (e.Exception.Message == Message)
            {
                Interlocked.Increment(ref failures);
            }
        }

        using var progress = new RecordingProgress(_ => throw new InvalidOperationException(Message));
        Future.CallbackFailed += OnFailure;
        try
        {
            var futures = Enumerable.Range(0, 5).Select(i => executor.Submit(TestTasks.Square, i)).ToList();
            var tracking = Future.Track(futures, progress, new ProgressOptions { Interval = TimeSpan.Zero });

            Assert.Equal([0, 1, 4, 9, 16], futures.Select(f => f.Result(Timeout)));
            Assert.Equal(5, tracking.Result(Timeout).Done);
            Assert.Equal(7, executor.Submit(TestTasks.Identity, 7).Result(Timeout));
            Assert.Equal([1, 4], executor.Map(TestTasks.Square, [1, 2], Timeout).WithProgress(progress));
        }
        finally
        {
            Future.CallbackFailed -= OnFailure;
        }

        Assert.Equal(progress.Reports.Count, Volatile.Read(ref failures));
    }
}
