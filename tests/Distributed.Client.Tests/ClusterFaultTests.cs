using System.Diagnostics;
using Distributed.Futures;
using Distributed.Testing;

namespace Distributed.Client.Tests;

/// <summary>
/// When a party of the cluster goes away: a lost coordinator fails every unfinished future within
/// the documented bound, and a lost client has what it queued canceled and freed.
/// </summary>
public sealed class ClusterFaultTests
{
    private static readonly TimeSpan Timeout = TestTimeouts.Default;

    [Fact]
    public void CoordinatorKilled_PendingFuturesFailPromptly_AndItsWorkersLeave()
    {
        using var coordinator = ProgramProcess.StartCoordinator(["--workers", "1", "--assembly", TestCoordinator.TestTasksAssembly], out string address);
        using var gate = new TaskGate();
        using var client = new RemoteExecutor(address);
        var running = client.Submit(TestTasks.PassGate, gate.Port, 1);
        var queued = Enumerable.Range(0, 5).Select(i => client.Submit(TestTasks.Identity, i)).ToList();
        gate.WaitForArrivals(1);

        var watch = Stopwatch.StartNew();
        coordinator.Kill();

        var error = Assert.Throws<BrokenExecutorException>(() => running.Result(Timeout));
        Assert.Contains("lost", error.Message, StringComparison.Ordinal);
        Assert.All(queued, f => Assert.Throws<BrokenExecutorException>(() => f.Result(Timeout)));
        Assert.True(watch.Elapsed < new RemoteExecutorOptions().ConnectionLossTimeout, $"the futures took {watch.Elapsed} to fail");
        Assert.Throws<BrokenExecutorException>(() => client.Submit(TestTasks.NoOp));
    }

    [Fact]
    public void CoordinatorStopped_PendingFuturesFailWithAClearError()
    {
        var coordinator = TestCoordinator.Start(workers: 1).WithWorkersReady(1);
        using var gate = new TaskGate();
        using var client = new RemoteExecutor(coordinator.Address);
        var queued = Enumerable.Range(0, 3).Select(_ => client.Submit(TestTasks.PassGate, gate.Port, 0)).ToList();
        gate.WaitForArrivals(1);

        var stopping = Task.Run(coordinator.Dispose);
        gate.Open();

        Assert.True(stopping.Wait(Timeout), "the coordinator did not stop");
        foreach (var future in queued)
        {
            Assert.True(future.IsDone || future.Exception(Timeout) is BrokenExecutorException, "a future neither finished nor failed");
        }
    }

    [Fact]
    public void ClientKilled_ItsQueuedTasksDisappearFromTheCoordinator()
    {
        using var coordinator = TestCoordinator.Start(workers: 1).WithWorkersReady(1);
        using var gate = new TaskGate();
        using var client = ProgramProcess.Start("Distributed.TestPrograms.dll", ["remote-client-then-wait", coordinator.Address, $"{gate.Port}"]);
        client.WaitForLine("submitted");
        gate.WaitForArrivals(1);
        TestTimeouts.WaitUntil(() => coordinator.Status().QueuedItems == 20, "the coordinator holds the client's 20 queued tasks");
        Assert.Equal(1u, coordinator.Status().Clients);

        client.Kill();

        TestTimeouts.WaitUntil(() => coordinator.Status().QueuedItems == 0, "the killed client's queued tasks are canceled");
        Assert.Equal(0u, coordinator.Status().Clients);
        gate.Open();
    }
}
