namespace Distributed.Futures.Tests;

public sealed class BatchProgressTests
{
    [Fact]
    public void Rate_IsDonePerSecondOverTheElapsedTime()
    {
        var progress = new BatchProgress(Succeeded: 6, Failed: 1, Canceled: 1, Total: 20, Elapsed: TimeSpan.FromSeconds(4), IsFinal: false);
        Assert.Equal(8, progress.Done);
        Assert.Equal(2.0, progress.Rate);
        Assert.Equal(TimeSpan.FromSeconds(6), progress.EstimatedRemaining);
        Assert.Equal(0.4, progress.Fraction);
    }

    [Fact]
    public void EstimatedRemaining_IsNullUntilItMeansSomething()
    {
        Assert.Null(new BatchProgress(0, 0, 0, 10, TimeSpan.FromSeconds(5), false).EstimatedRemaining);
        Assert.Null(new BatchProgress(3, 0, 0, null, TimeSpan.FromSeconds(5), false).EstimatedRemaining);
        Assert.Null(new BatchProgress(3, 0, 0, 10, TimeSpan.Zero, false).EstimatedRemaining);
        Assert.Equal(0, new BatchProgress(3, 0, 0, 10, TimeSpan.Zero, false).Rate);
    }

    [Fact]
    public void EstimatedRemaining_AllDone_IsZero_AndAnEmptyBatchIsWhole()
    {
        Assert.Equal(TimeSpan.Zero, new BatchProgress(10, 0, 0, 10, TimeSpan.FromSeconds(1), true).EstimatedRemaining);
        var empty = new BatchProgress(0, 0, 0, 0, TimeSpan.Zero, true);
        Assert.Equal(TimeSpan.Zero, empty.EstimatedRemaining);
        Assert.Equal(1.0, empty.Fraction);
    }

    [Fact]
    public void EstimatedRemaining_AtACrawl_IsCappedInsteadOfOverflowing()
    {
        var crawl = new BatchProgress(1, 0, 0, long.MaxValue, TimeSpan.FromDays(3650), false);
        Assert.Equal(TimeSpan.MaxValue, crawl.EstimatedRemaining);
    }

    [Fact]
    public void ToString_SaysDoneOfTotalRateAndTimeLeft()
    {
        var running = new BatchProgress(3, 1, 0, 8, TimeSpan.FromSeconds(2), false);
        Assert.Equal("4/8 done (50.0%) [1 failed, 0 canceled], 2.0/s, about 2 s left", running.ToString());
        Assert.Equal("5 done, 2.5/s", new BatchProgress(5, 0, 0, null, TimeSpan.FromSeconds(2), false).ToString());
        Assert.Equal("8/8 done (100.0%), 4.0/s in 2.0 s", new BatchProgress(8, 0, 0, 8, TimeSpan.FromSeconds(2), true).ToString());
    }
}
