using System.Diagnostics;
using Distributed.Futures;
using Distributed.Protocol;
using Distributed.Protocol.V1;
using Distributed.Testing;

namespace Distributed.Benchmarks;

/// <summary>
/// How long each fault takes to be acted on, with the default settings, against the bound the
/// documentation promises: a frozen (SIGSTOP) coordinator, client and worker, and a killed
/// (SIGKILL) coordinator and worker. The figures in docs/FAULTS.md come from here.
/// </summary>
public static class FaultBounds
{
    public static void Run(int runs)
    {
        var defaults = new RemoteExecutorOptions();
        var frozenCoordinator = new Measurement("coordinator frozen", "s");
        var killedCoordinator = new Measurement("coordinator killed", "s");
        var frozenClient = new Measurement("client frozen", "s");
        var frozenWorker = new Measurement("worker frozen", "s");
        var killedWorker = new Measurement("worker killed", "s");
        for (int run = 0; run < runs; run++)
        {
            frozenCoordinator.Add(CoordinatorFault("STOP"));
            killedCoordinator.Add(CoordinatorFault("KILL"));
            frozenClient.Add(ClientFrozen());
            frozenWorker.Add(WorkerFault("STOP"));
            killedWorker.Add(WorkerFault("KILL"));
        }

        Console.WriteLine($"## Fault bounds, default settings ({runs} runs: median, min, max)");
        Row("coordinator frozen: every future failed", frozenCoordinator, $"ConnectionLossTimeout {defaults.ConnectionLossTimeout.TotalSeconds:F0} s");
        Row("coordinator killed: every future failed", killedCoordinator, "at once");
        Row("client frozen: its queue freed", frozenClient, "--client-timeout 20 s");
        Row("worker frozen: its task running elsewhere", frozenWorker, "HeartbeatTimeout 10 s");
        Row("worker killed: its task running elsewhere", killedWorker, "at once");
        Console.WriteLine();
    }

    private static void Row(string what, Measurement m, string bound) =>
        Console.WriteLine($"{what,-46} {m.Median,7:F2} s  (min {m.Min:F2}, max {m.Max:F2})  bound {bound}");

    /// <summary>Seconds from the signal to the client's running future failing.</summary>
    private static double CoordinatorFault(string signal)
    {
        using var coordinator = StartCoordinator(out string address);
        using var gate = new TaskGate();
        using var client = new RemoteExecutor(address);
        var running = client.Submit(TestTasks.PassGate, gate.Port, 1);
        gate.WaitForArrivals(1);
        var watch = Stopwatch.StartNew();
        ProcessTable.Signal(coordinator.Id, signal);
        var error = running.Exception(TimeSpan.FromMinutes(2));
        double seconds = watch.Elapsed.TotalSeconds;
        if (signal == "STOP")
        {
            ProcessTable.Signal(coordinator.Id, "CONT");
        }

        return error is BrokenExecutorException ? seconds : throw new InvalidOperationException($"the future ended with {error}");
    }

    /// <summary>Seconds from freezing a client to the coordinator holding nothing of it.</summary>
    private static double ClientFrozen()
    {
        using var coordinator = StartCoordinator(out string address);
        using var gate = new TaskGate();
        using var client = ProgramProcess.Start("Distributed.TestPrograms.dll", ["remote-client-then-wait", address, $"{gate.Port}"]);
        client.WaitForLine("submitted");
        using var channel = CoordinatorAddress.Parse(address).CreateChannel(ProtocolInfo.DefaultMaxMessageBytes, TimeSpan.FromSeconds(60));
        var service = new ExecutorService.ExecutorServiceClient(channel);
        TestTimeouts.WaitUntil(() => service.Status(new StatusRequest()).QueuedItems == 20, "the client's tasks are queued");
        var watch = Stopwatch.StartNew();
        ProcessTable.Signal(client.Id, "STOP");
        TestTimeouts.WaitUntil(() => service.Status(new StatusRequest()) is { QueuedItems: 0, Clients: 0 }, "the frozen client's queue is freed", TimeSpan.FromMinutes(2));
        double seconds = watch.Elapsed.TotalSeconds;
        ProcessTable.Signal(client.Id, "CONT");
        gate.Open();
        return seconds;
    }

    /// <summary>Seconds from the signal to the worker's task arriving again, on another worker.</summary>
    private static double WorkerFault(string signal)
    {
        using var pool = new ProcessPoolExecutor(maxWorkers: 2);
        pool.Submit(ProcessPoolBenchmarks.NoOp).Result();
        using var gate = new TaskGate();
        var running = pool.Submit(TestTasks.ProcessIdAfterGate, gate.Port);
        gate.WaitForArrivals(1);
        int idle = pool.Submit(TestTasks.CurrentProcessId).Result();
        int busy = pool.WorkerProcessIds.Single(pid => pid != idle);
        var watch = Stopwatch.StartNew();
        ProcessTable.Signal(busy, signal);
        gate.WaitForArrivals(2);
        double seconds = watch.Elapsed.TotalSeconds;
        if (signal == "STOP")
        {
            ProcessTable.Signal(busy, "CONT");
        }

        gate.Open();
        running.Result(TimeSpan.FromMinutes(1));
        return seconds;
    }

    private static ProgramProcess StartCoordinator(out string address) =>
        ProgramProcess.StartCoordinator(["--workers", "1", "--assembly", typeof(TestTasks).Assembly.Location, "--assembly", typeof(FaultBounds).Assembly.Location], out address);
}
