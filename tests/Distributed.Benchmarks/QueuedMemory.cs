using System.Diagnostics;
using System.Globalization;
using Distributed.Futures;
using Distributed.Protocol.V1;
using Distributed.Testing;
using Grpc.Net.Client;

namespace Distributed.Benchmarks;

/// <summary>
/// What a queued task costs in memory, where it waits: the embedded pool's process (its futures and
/// its engine in one process), a remote client (its futures), and a standalone coordinator (its
/// queue). Each side is a fresh child process, so its working set is its own; the workers are held
/// (the pool's one worker by a task that waits, the coordinator has none), so nothing runs. The
/// managed heap is measured after a full collection; the working set is what the system counts.
/// Python's ProcessPoolExecutor, measured the same way (its own process), is the baseline.
/// </summary>
public static class QueuedMemory
{
    public const string ChildCommand = "queued-memory-child";

    public static void Run(int runs, int tasks)
    {
        var poolHeap = new Measurement("pool heap", "B");
        var poolSet = new Measurement("pool working set", "B");
        var clientHeap = new Measurement("client heap", "B");
        var clientSet = new Measurement("client working set", "B");
        var coordinatorSet = new Measurement("coordinator working set", "B");
        var python = new Measurement("python", "B");
        for (int run = 0; run < runs; run++)
        {
            var pool = Figures(SelfProcess.Run(ChildCommand, "pool", Text(tasks)));
            poolHeap.Add(pool[0]);
            poolSet.Add(pool[1]);
            var remote = Figures(SelfProcess.Run(ChildCommand, "remote", Text(tasks)));
            clientHeap.Add(remote[0]);
            clientSet.Add(remote[1]);
            coordinatorSet.Add(remote[2]);
            python.Add(PythonBaseline.Run("queued_memory.py", "queued-memory", "--tasks", Text(tasks)));
        }

        Console.WriteLine($"## Queued memory: bytes per queued task, {tasks:N0} queued, nothing running ({runs} runs, medians)");
        Console.WriteLine($"{"ProcessPoolExecutor's process",-34} managed heap {poolHeap.Median,6:N0} B   working set {poolSet.Median,6:N0} B   floor: 400 B");
        Console.WriteLine($"{"RemoteExecutor's process",-34} managed heap {clientHeap.Median,6:N0} B   working set {clientSet.Median,6:N0} B   floor: 300 B");
        Console.WriteLine($"{"standalone coordinator",-34} {string.Empty,19} working set {coordinatorSet.Median,6:N0} B   floor: 400 B");
        Console.WriteLine($"{"Python ProcessPoolExecutor",-34} {string.Empty,19} working set {python.Median,6:N0} B   pool's/Python's {python.Median / poolSet.Median,5:F1}x smaller");
        Console.WriteLine();
    }

    /// <summary>In a fresh process: queues the tasks and prints the bytes per task (heap, working set, and for a remote client the coordinator's working set).</summary>
    public static int Child(string mode, int tasks) => mode switch
    {
        "pool" => Print(PoolChild(tasks)),
        "remote" => Print(RemoteChild(tasks)),
        _ => throw new ArgumentException($"Unknown queued-memory mode '{mode}': pool or remote.", nameof(mode)),
    };

    private static double[] PoolChild(int tasks)
    {
        using var blocker = new TaskGate();
        using var probe = new TaskGate();
        using var pool = new ProcessPoolExecutor(maxWorkers: 1);
        pool.Submit(ProcessPoolBenchmarks.NoOp).Result();
        var held = pool.Submit(TestTasks.PassGate, blocker.Port, 0);
        blocker.WaitForArrivals(1);
        var (heap, set) = QueueAndMeasure(pool, tasks, probe.Port, () => { });
        pool.Shutdown(wait: false, cancelFutures: true);
        blocker.Open();
        held.Result(TestTimeouts.Default);
        Check(probe.Arrivals == 0, "no queued task ran");
        return [heap, set];
    }

    private static double[] RemoteChild(int tasks)
    {
        using var coordinator = ProgramProcess.StartCoordinator(["--workers", "0"], out string address);
        using var coordinatorProcess = Process.GetProcessById(coordinator.Id);
        using var channel = GrpcChannel.ForAddress(address);
        var status = new ExecutorService.ExecutorServiceClient(channel);
        using var probe = new TaskGate();
        using var client = new RemoteExecutor(address);
        client.Submit(ProcessPoolBenchmarks.NoOp);
        TestTimeouts.WaitUntil(() => status.Status(new StatusRequest()).QueuedItems == 1, "the first task is queued");
        coordinatorProcess.Refresh();
        long coordinatorBefore = coordinatorProcess.WorkingSet64;
        var (heap, set) = QueueAndMeasure(client, tasks, probe.Port, () =>
            TestTimeouts.WaitUntil(() => status.Status(new StatusRequest()).QueuedItems == (ulong)tasks + 1, $"{tasks:N0} more tasks are queued"));
        coordinatorProcess.Refresh();
        double coordinatorPerTask = (coordinatorProcess.WorkingSet64 - coordinatorBefore) / (double)tasks;

        // No worker will ever run them: cancel them, or disposing the client would wait for them.
        client.Shutdown(wait: false, cancelFutures: true);
        return [heap, set, coordinatorPerTask];
    }

    /// <summary>Submits the tasks and returns this process's growth per task: managed heap after a full collection, and working set.</summary>
    private static (double Heap, double WorkingSet) QueueAndMeasure(Executor executor, int tasks, int probePort, Action whenQueued)
    {
        // The array is the caller's, not the executor's: made before the first measurement.
        var futures = new Future[tasks];
        using var self = Process.GetCurrentProcess();
        long heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        self.Refresh();
        long setBefore = self.WorkingSet64;
        for (int i = 0; i < tasks; i++)
        {
            futures[i] = executor.Submit(TestTasks.ArriveAtGate, probePort);
        }

        whenQueued();
        long heapAfter = GC.GetTotalMemory(forceFullCollection: true);
        self.Refresh();
        long setAfter = self.WorkingSet64;
        Check(futures.All(f => !f.IsDone), "every task is still queued");
        GC.KeepAlive(futures);
        return ((heapAfter - heapBefore) / (double)tasks, (setAfter - setBefore) / (double)tasks);
    }

    private static int Print(double[] figures)
    {
        Console.WriteLine(string.Join(' ', figures.Select(f => f.ToString("F1", CultureInfo.InvariantCulture))));
        return 0;
    }

    private static double[] Figures(string line) => line.Split(' ').Select(SelfProcess.Number).ToArray();

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static void Check(bool condition, string what)
    {
        if (!condition)
        {
            throw new InvalidOperationException($"Expected: {what}.");
        }
    }
}
