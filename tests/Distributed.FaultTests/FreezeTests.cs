using System.Diagnostics;
using Distributed.Futures;
using Distributed.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Distributed.FaultTests;

/// <summary>
/// A party that stops (SIGSTOP) keeps its sockets open: only its silence gives it away, and each
/// documented bound must hold. A frozen worker's task runs elsewhere within the heartbeat timeout;
/// a frozen coordinator's clients fail their futures within ConnectionLossTimeout; a frozen
/// client's queue is freed within the client timeout. Each frozen process is let go afterwards,
/// and whoever survived serves on.
/// </summary>
[Collection(OneFaultAtATime.Name)]
public sealed class FreezeTests
{
    // What a bound may be missed by on a loaded 2-core machine: timers fire late, and a stopped
    // process is noticed one look after the limit at most.
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(1.5);
    private static readonly TimeSpan Timeout = TestTimeouts.Default;

    [Fact]
    public void WorkerFrozen_ItsTaskRunsElsewhereWithinTheHeartbeatTimeout()
    {
        var heartbeatTimeout = TimeSpan.FromSeconds(2);
        using var pool = new ProcessPoolExecutor(new ProcessPoolOptions
        {
            MaxWorkers = 2,
            HeartbeatInterval = TimeSpan.FromMilliseconds(250),
            HeartbeatTimeout = heartbeatTimeout,
        });
        Assert.Equal(1, pool.Submit(TestTasks.Identity, 1).Result(Timeout));
        using var gate = new TaskGate();
        var future = pool.Submit(TestTasks.ProcessIdAfterGate, gate.Port);
        gate.WaitForArrivals(1);
        int frozen = FindRunner(pool, gate);

        var watch = Stopwatch.StartNew();
        ProcessTable.Signal(frozen, "STOP");
        try
        {
            gate.WaitForArrivals(2);
            var rerun = watch.Elapsed;
            gate.Open();
            Assert.NotEqual(frozen, future.Result(Timeout));
            Assert.True(rerun < heartbeatTimeout + Slack, $"the task ran again {rerun.TotalSeconds:F2} s after its worker froze (heartbeat timeout {heartbeatTimeout.TotalSeconds} s)");
            ProcessTable.WaitUntilGone([frozen], "the frozen worker, killed once given up on");
            Assert.Equal(9, pool.Submit(TestTasks.Square, 3).Result(Timeout));
        }
        finally
        {
            ProcessTable.Signal(frozen, "CONT");
        }
    }

    [Fact]
    public void CoordinatorFrozen_ClientsFailTheirFuturesWithinConnectionLossTimeout_AndItServesAgainOnceThawed()
    {
        var lossTimeout = TimeSpan.FromSeconds(3);
        using var coordinator = ProgramProcess.StartCoordinator(["--workers", "1", "--assembly", typeof(TestTasks).Assembly.Location], out string address);
        using var gate = new TaskGate();
        using var client = new RemoteExecutor(address, new RemoteExecutorOptions { ConnectionLossTimeout = lossTimeout });
        var running = client.Submit(TestTasks.PassGate, gate.Port, 1);
        var queued = Enumerable.Range(0, 20).Select(i => client.Submit(TestTasks.Identity, i)).ToList();
        gate.WaitForArrivals(1);

        var (error, failed) = FailWhileFrozen(coordinator, running, () => Assert.All(queued, f => Assert.IsType<BrokenExecutorException>(f.Exception(Timeout))));

        Assert.Contains("ConnectionLossTimeout", error.Message, StringComparison.Ordinal);
        Assert.True(failed < lossTimeout + Slack, $"the futures failed {failed.TotalSeconds:F2} s after the coordinator froze (ConnectionLossTimeout {lossTimeout.TotalSeconds} s)");
        Assert.True(failed > lossTimeout / 2, $"the futures failed after only {failed.TotalSeconds:F2} s");
        gate.Open();
        using var next = new RemoteExecutor(address);
        Assert.Equal(16, next.Submit(TestTasks.Square, 4).Result(Timeout));
    }

    [Fact]
    public void CoordinatorFrozen_WhileTheClientsSilenceWatchCannotLook_KeepAliveGivesUpOnItWithinTheBound()
    {
        // A client starved of CPU has its silence watch start its clock again; HTTP/2 keep-alive,
        // on its own timer, is the backstop. A clock that never moves stands for the starved watch.
        var lossTimeout = TimeSpan.FromSeconds(3);
        using var coordinator = ProgramProcess.StartCoordinator(["--workers", "1", "--assembly", typeof(TestTasks).Assembly.Location], out string address);
        using var gate = new TaskGate();
        using var client = new RemoteExecutor(address, new RemoteExecutorOptions { ConnectionLossTimeout = lossTimeout, TimeProvider = new FakeTimeProvider() });
        var running = client.Submit(TestTasks.PassGate, gate.Port, 1);
        gate.WaitForArrivals(1);

        var (error, failed) = FailWhileFrozen(coordinator, running);

        Assert.True(error.Message.Contains("ConnectionLossTimeout", StringComparison.Ordinal) && error.Message.Contains("keep-alive", StringComparison.Ordinal), error.ToString());

        // The handler looks at its pings once a second: one more second than the watch's bound.
        Assert.True(failed < lossTimeout + Slack + TimeSpan.FromSeconds(1), $"the future failed {failed.TotalSeconds:F2} s after the coordinator froze (ConnectionLossTimeout {lossTimeout.TotalSeconds} s)");
    }

    [Fact]
    public void ClientFrozen_ItsQueueIsFreedWithinTheClientTimeout()
    {
        var clientTimeout = TimeSpan.FromSeconds(3);
        using var coordinator = ProgramProcess.StartCoordinator(
            ["--workers", "1", "--client-timeout", $"{clientTimeout.TotalSeconds}", "--assembly", typeof(TestTasks).Assembly.Location], out string address);
        using var gate = new TaskGate();
        using var client = ProgramProcess.Start("Distributed.TestPrograms.dll", ["remote-client-then-wait", address, $"{gate.Port}"]);
        client.WaitForLine("submitted");
        gate.WaitForArrivals(1);
        using var observer = new StatusProbe(address);
        TestTimeouts.WaitUntil(() => observer.Status().QueuedItems == 20, "the coordinator holds the client's 20 queued tasks");

        var watch = Stopwatch.StartNew();
        ProcessTable.Signal(client.Id, "STOP");
        try
        {
            TestTimeouts.WaitUntil(() => observer.Status() is { QueuedItems: 0, Clients: 0 }, "the frozen client's queue is freed");
            var freed = watch.Elapsed;
            Assert.True(freed < clientTimeout + Slack, $"the queue was freed {freed.TotalSeconds:F2} s after the client froze (client timeout {clientTimeout.TotalSeconds} s)");
            Assert.True(freed > clientTimeout / 2, $"the client was dropped after only {freed.TotalSeconds:F2} s");
        }
        finally
        {
            ProcessTable.Signal(client.Id, "CONT");
            gate.Open();
        }

        coordinator.WaitForLine("was dropped: no message for");
    }

    /// <summary>The pool's worker that holds the gated task: the one whose heartbeats would go on if it were not that one.</summary>
    /// <summary>Stops the coordinator until the running future fails (and <paramref name="whileFrozen"/> has looked), then lets it go on.</summary>
    /// <returns>The future's error, and how long after the freeze it came.</returns>
    private static (BrokenExecutorException Error, TimeSpan Failed) FailWhileFrozen(ProgramProcess coordinator, Future<int> running, Action? whileFrozen = null)
    {
        var watch = Stopwatch.StartNew();
        ProcessTable.Signal(coordinator.Id, "STOP");
        try
        {
            var error = Assert.Throws<BrokenExecutorException>(() => running.Result(Timeout));
            var failed = watch.Elapsed;
            whileFrozen?.Invoke();
            return (error, failed);
        }
        finally
        {
            ProcessTable.Signal(coordinator.Id, "CONT");
        }
    }

    private static int FindRunner(ProcessPoolExecutor pool, TaskGate gate)
    {
        // Each worker holds at most one task here, and only one task is running: ask the other one.
        var workers = pool.WorkerProcessIds;
        var free = pool.Submit(TestTasks.CurrentProcessId).Result(Timeout);
        Assert.Equal(1, gate.Arrivals);
        return Assert.Single(workers, pid => pid != free);
    }
}
