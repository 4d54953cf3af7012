using Distributed.Futures;
using Distributed.Testing;

namespace Distributed.FaultTests;

/// <summary>
/// Shutdown(cancelFutures: true) cancels everything queued in one request: when it returns, even
/// with wait: false, every queued future says canceled, and none of those tasks ever runs.
/// </summary>
[Collection(OneFaultAtATime.Name)]
public sealed class BulkCancelTests
{
    private const int Queued = 50_000;
    private static readonly TimeSpan Timeout = TestTimeouts.Default;

    [Fact]
    public void RemoteExecutor_ShutdownWithoutWaiting_CancelsTheWholeQueueBeforeItReturns()
    {
        using var coordinator = ProgramProcess.StartCoordinator(["--workers", "1", "--assembly", typeof(TestTasks).Assembly.Location], out string address);
        CancelsTheWholeQueue(new RemoteExecutor(address));
    }

    [Fact]
    public void ProcessPool_ShutdownWithoutWaiting_CancelsTheWholeQueueBeforeItReturns() =>
        CancelsTheWholeQueue(new ProcessPoolExecutor(maxWorkers: 1));

    private static void CancelsTheWholeQueue(Executor executor)
    {
        using var blocker = new TaskGate();
        using var probe = new TaskGate();
        probe.Open();
        var running = executor.Submit(TestTasks.PassGate, blocker.Port, 1);
        blocker.WaitForArrivals(1);
        var queued = Enumerable.Range(0, Queued).Select(_ => executor.Submit(TestTasks.ArriveAtGate, probe.Port)).ToList();

        executor.Shutdown(wait: false, cancelFutures: true);

        int canceled = queued.Count(f => f.IsCanceled);
        Assert.True(canceled == Queued, $"{Queued - canceled} of {Queued} queued futures were not canceled when Shutdown returned");
        Assert.False(running.IsCanceled);
        Assert.Throws<InvalidOperationException>(() => executor.Submit(TestTasks.NoOp));
        blocker.Open();
        Assert.Equal(1, running.Result(Timeout));
        Assert.True(executor.ShutdownAsync().Wait(Timeout), "the shutdown did not finish");
        Assert.Equal(0, probe.Arrivals);
    }
}
