using System.Diagnostics;
using Distributed.Futures;
using Distributed.Testing;

namespace Distributed.Benchmarks;

/// <summary>
/// What one task costs each party of a cluster, in CPU time: the coordinator, the workers and the
/// client, each its own process. On a machine with few cores they share, so wall-clock throughput
/// cannot show the coordinator's own bound; its CPU time per task can: one core of coordinator
/// serves at most 1 / (CPU per task) tasks a second, whatever the number of workers and clients.
/// </summary>
public static class CoordinatorCost
{
    private const int Workers = 2;

    public static void Run(int runs, int tasks, int items, int chunkSize)
    {
        var submits = new Shape($"submit all then gather, no-op tasks ({tasks:N0})", "task");
        var mapped = new Shape($"Map of {items:N0} ints, chunkSize {chunkSize:N0}", "item");
        using var coordinator = ProgramProcess.StartCoordinator(["--workers", "0"], out string address);
        var workers = Enumerable.Range(0, Workers).Select(i => ProgramProcess.Start(
            "worker.dll",
            ["--coordinator", address, "--worker-id", $"w{i}", "--slots", "1", "--assembly", typeof(CoordinatorCost).Assembly.Location])).ToList();
        try
        {
            using var client = new RemoteExecutor(address);
            var parties = new Parties(coordinator, workers);

            // A coordinator serves for a long time: measure it warm. The first rounds of a fresh
            // process are mostly the JIT compiling and recompiling the hot paths.
            for (int round = 0; round < 2; round++)
            {
                SubmitAllThenGather(client, tasks);
                MapSquares(client, items, chunkSize);
            }

            for (int run = 0; run < runs; run++)
            {
                submits.Measure(parties, tasks, () => SubmitAllThenGather(client, tasks));
                mapped.Measure(parties, items, () => MapSquares(client, items, chunkSize));
            }
        }
        finally
        {
            workers.ForEach(w => w.Dispose());
        }

        Console.WriteLine($"## Coordinator cost: CPU time per task of each process (coordinator, {Workers} workers of 1 slot, client; {runs} runs, medians)");
        submits.Print();
        mapped.Print();
        Console.WriteLine();
    }

    private static void SubmitAllThenGather(Executor executor, int tasks)
    {
        var futures = new Future<int>[tasks];
        for (int i = 0; i < tasks; i++)
        {
            futures[i] = executor.Submit(ProcessPoolBenchmarks.NoOp);
        }

        foreach (var future in futures)
        {
            future.Result();
        }
    }

    private static void MapSquares(Executor executor, int items, int chunkSize)
    {
        long sum = executor.Map(ProcessPoolBenchmarks.Square, Enumerable.Range(0, items), chunkSize: chunkSize).Sum();
        long expected = Enumerable.Range(0, items).Sum(i => (long)i * i);
        if (sum != expected)
        {
            throw new InvalidOperationException($"Map returned a sum of {sum}, not {expected}");
        }
    }

    /// <summary>The processes whose CPU time is counted: the coordinator, the workers, and this one as the client.</summary>
    private sealed class Parties(ProgramProcess coordinator, List<ProgramProcess> workers)
    {
        private readonly Process _coordinator = Process.GetProcessById(coordinator.Id);
        private readonly List<Process> _workers = workers.Select(w => Process.GetProcessById(w.Id)).ToList();

        public (TimeSpan Coordinator, TimeSpan Workers, TimeSpan Client) CpuTime()
        {
            _coordinator.Refresh();
            _workers.ForEach(w => w.Refresh());
            return (
                _coordinator.TotalProcessorTime,
                TimeSpan.FromTicks(_workers.Sum(w => w.TotalProcessorTime.Ticks)),
                Process.GetCurrentProcess().TotalProcessorTime);
        }
    }

    /// <summary>One workload's figures over the runs.</summary>
    private sealed class Shape(string title, string per)
    {
        private readonly Measurement _rate = new("rate", $"{per}s/s");
        private readonly Measurement _coordinator = new("coordinator", "µs");
        private readonly Measurement _workers = new("workers", "µs");
        private readonly Measurement _client = new("client", "µs");

        public void Measure(Parties parties, int count, Action workload)
        {
            var before = parties.CpuTime();
            var watch = Stopwatch.StartNew();
            workload();
            double seconds = watch.Elapsed.TotalSeconds;
            var after = parties.CpuTime();
            _rate.Add(count / seconds);
            _coordinator.Add((after.Coordinator - before.Coordinator).TotalMicroseconds / count);
            _workers.Add((after.Workers - before.Workers).TotalMicroseconds / count);
            _client.Add((after.Client - before.Client).TotalMicroseconds / count);
        }

        public void Print()
        {
            Console.WriteLine(title);
            Console.WriteLine($"  wall clock        {_rate.Median,12:N0} {per}s/s (all parties on the same cores)");
            Console.WriteLine($"  coordinator CPU   {_coordinator.Median,12:F2} µs/{per}  → one core of coordinator: {1e6 / _coordinator.Median,12:N0} {per}s/s");
            Console.WriteLine($"  workers CPU       {_workers.Median,12:F2} µs/{per}  (both together)");
            Console.WriteLine($"  client CPU        {_client.Median,12:F2} µs/{per}");
        }
    }
}
