using Distributed.Testing;

namespace Distributed.Futures.Tests;

public sealed class ThreadPoolExecutorExitTests
{
    [Fact]
    public void MainReturnsWithWorkQueued_TheWorkStillRunsBeforeTheProcessEnds()
    {
        var (exitCode, output, errors) = TestProgram.Run("exit-with-queued-work");

        Assert.True(exitCode == 0, errors);
        Assert.Contains("main returns", output, StringComparison.Ordinal);
        for (int i = 0; i < 5; i++)
        {
            Assert.Contains($"task {i} ran", output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void MainReturnsWithAsyncTasksAwaiting_TheyStillFinishBeforeTheProcessEnds()
    {
        var (exitCode, output, errors) = TestProgram.Run("exit-with-awaiting-work");

        Assert.True(exitCode == 0, errors);
        for (int i = 0; i < 4; i++)
        {
            Assert.Contains($"async task {i} ran", output, StringComparison.Ordinal);
        }
    }
}
