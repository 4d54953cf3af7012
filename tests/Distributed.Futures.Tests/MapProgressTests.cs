using Distributed.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Distributed.Futures.Tests;

/// <summary><c>WithProgress</c> on the thread pool's Map and on plain sequences, on a fake clock.</summary>
public sealed class MapProgressTests : IDisposable
{
    private static readonly TimeSpan Timeout = TestTimeouts.Default;
    private static readonly int[] s_four = [1, 2, 3, 4];
    private readonly ThreadPoolExecutor _executor = new(maxWorkers: 4);
    private readonly RecordingProgress _progress = new();
    private readonly FakeTimeProvider _clock = new();

    public void Dispose()
    {
        _executor.Dispose();
        _progress.Dispose();
    }

    [Fact]
    public void Map_ManyQuickItemsInsideTheInterval_CostTheFirstAndTheFinalReportOnly()
    {
        var results = _executor.Map(TestTasks.Square, Enumerable.Range(0, 1000))
            .WithProgress(_progress, new ProgressOptions { Interval = TimeSpan.FromSeconds(1), TimeProvider = _clock });

        Assert.Equal(1000, results.Count());

        var reports = _progress.Reports;
        Assert.Equal(2, reports.Count);
        Assert.Equal((0L, 1000L, false), (reports[0].Done, reports[0].Total!.Value, reports[0].IsFinal));
        Assert.Equal((1000L, 1000L, true), (reports[1].Done, reports[1].Total!.Value, reports[1].IsFinal));
    }

    [Fact]
    public void Map_Buffered_OverASequenceThatCannotCount_LearnsTheTotalWhenTheInputRunsOut()
    {
        var input = Enumerable.Range(0, 20).Where(i => i >= 0);
        var results = _executor.Map(TestTasks.Identity, input, bufferSize: 5)
            .WithProgress(_progress, new ProgressOptions { Interval = TimeSpan.Zero, TimeProvider = _clock });

        using var enumerator = results.GetEnumerator();
        Assert.True(enumerator.MoveNext());
        Assert.Null(_progress.Last.Total);

        while (enumerator.MoveNext())
        {
        }

        var reports = _progress.Reports;
        Assert.Equal(20, reports[^1].Total);
        Assert.True(reports[^1].IsFinal);
        Assert.Equal(20, reports[^1].Succeeded);
        Assert.Contains(reports, r => r.Total is null && r.Done > 0);
    }

    [Fact]
    public void Map_Buffered_OverCollections_KnowsTheTotalFromTheStart()
    {
        var results = _executor.Map(TestTasks.Add, s_four, new List<int> { 10, 20, 30 }, bufferSize: 1)
            .WithProgress(_progress, new ProgressOptions { TimeProvider = _clock });

        Assert.Equal(3, _progress.Last.Total);
        Assert.Equal([11, 22, 33], results);
        Assert.Equal((3L, true), (_progress.Last.Done, _progress.Last.IsFinal));
    }

    [Fact]
    public void Map_DisposedEarly_SendsTheFinalReportBeforeDisposeReturns()
    {
        var results = _executor.Map(TestTasks.Square, Enumerable.Range(0, 10))
            .WithProgress(_progress, new ProgressOptions { TimeProvider = _clock });

        Assert.Equal([0, 1, 4], results.Take(3));

        var final = Assert.Single(_progress.Reports, r => r.IsFinal);
        Assert.Same(final, _progress.Last);
        Assert.Equal((3L, 10L), (final.Done, final.Total!.Value));
    }

    [Fact]
    public void Map_FollowedTwiceOrAfterItsEnd_Throws()
    {
        var results = _executor.Map(TestTasks.Square, [1, 2]);
        results.WithProgress(_progress);
        Assert.Throws<InvalidOperationException>(() => results.WithProgress(_progress));

        var ended = _executor.Map(TestTasks.Square, [1, 2]);
        _ = ended.ToList();
        Assert.Throws<InvalidOperationException>(() => ended.WithProgress(_progress));
    }

    [Fact]
    public void Map_WithATimeoutThatPasses_IsNotCountedFailed_AndEndsWithAFinalReport()
    {
        using var gate = new ManualResetEventSlim();
        var results = _executor.Map(_ => gate.Wait(Timeout), [1, 2], timeout: TimeSpan.FromMilliseconds(50))
            .WithProgress(_progress, new ProgressOptions { TimeProvider = _clock });
        try
        {
            Assert.Throws<TimeoutException>(() => results.ToList());
        }
        finally
        {
            gate.Set();
        }

        var final = _progress.Last;
        Assert.True(final.IsFinal);
        Assert.Equal(0, final.Done);
    }

    [Fact]
    public void Sequence_CountsItemsAsTheyAreYielded_OncePerEnumeration()
    {
        var followed = Enumerable.Range(0, 5).WithProgress(_progress, new ProgressOptions { Interval = TimeSpan.Zero, TimeProvider = _clock });

        Assert.Equal(10, followed.Sum());
        Assert.Equal(10, followed.Sum());

        var finals = _progress.Reports.Where(r => r.IsFinal).ToList();
        Assert.Equal(2, finals.Count);
        Assert.All(finals, f => Assert.Equal((5L, 5L), (f.Done, f.Total!.Value)));
    }

    [Fact]
    public void Sequence_ThatThrows_CountsTheFailure_AndEndsWithAFinalReport()
    {
        var followed = Broken().WithProgress(_progress, new ProgressOptions { TimeProvider = _clock });

        Assert.Throws<FormatException>(() => followed.ToList());

        var final = _progress.Last;
        Assert.True(final.IsFinal);
        Assert.Null(final.Total);
        Assert.Equal((2L, 1L), (final.Succeeded, final.Failed));

        static IEnumerable<int> Broken()
        {
            yield return 1;
            yield return 2;
            throw new FormatException();
        }
    }

    [Fact]
    public void Sequence_SinkThatEndsTheIterationFromItsOwnReport_GetsTheFinalWithoutWaitingForItself()
    {
        IEnumerator<int>? enumerator = null;
        using var progress = new RecordingProgress(report =>
        {
            if (report.Done == 1 && !report.IsFinal)
            {
                enumerator!.Dispose();
            }
        });
        var followed = Enumerable.Range(0, 5).WithProgress(progress, new ProgressOptions { Interval = TimeSpan.Zero, TimeProvider = _clock });
        enumerator = followed.GetEnumerator();

        // The second MoveNext counts the first item; its report disposes the enumerator, which ends
        // the batch from inside the sink: the final is delivered once the sink returns.
        var finished = Task.Run(() =>
        {
            enumerator.MoveNext();
            enumerator.MoveNext();
        });

        Assert.True(finished.Wait(Timeout), "ending the iteration from inside the sink deadlocked");
        var final = progress.WaitForFinal();
        Assert.Equal((1L, 5L), (final.Done, final.Total!.Value));
        Assert.Same(final, progress.Last);
    }
}
