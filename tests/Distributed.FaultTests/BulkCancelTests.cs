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

    [Fact]
    public void TaskReportedRunningBeforeItsWorkerDied_IsNotCanceledByAShutdown_AndFinishesOnTheNextWorker()
    {
        using var coordinator = ProgramProcess.StartCoordinator([], out string address);
        using var observer = new StatusProbe(address);
        using var first = StandaloneWorker.Start(address, "first");
        TestTimeouts.WaitUntil(() => observer.Status().Workers.Count == 1, "the first worker registered");
        using var gate = new TaskGate();
        var client = new RemoteExecutor(address);
        var running = client.Submit(TestTasks.PassGate, gate.Port, 1);
        gate.WaitForArrivals(1);
        TestTimeouts.WaitUntil(() => running.IsRunning, "the task reports running");
        var queued = Enumerable.Range(0, 3).Select(i => client.Submit(TestTasks.Identity, i)).ToList();
        first.Kill();
        TestTimeouts.WaitUntil(() => observer.Status() is { Workers.Count: 0, QueuedItems: 4 }, "the task is back in the queue, with no worker");

        client.Shutdown(wait: false, cancelFutures: true);

        Assert.All(queued, f => Assert.True(f.IsCanceled));
        Assert.False(running.IsCanceled, "a task its client was told runs cannot be canceled: it runs again");
        using var second = StandaloneWorker.Start(address, "second");
        gate.WaitForArrivals(2);
        gate.Open();
        Assert.Equal(1, running.Result(Timeout));
        Assert.True(client.ShutdownAsync().Wait(Timeout), "the shutdown did not finish");
    }


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
