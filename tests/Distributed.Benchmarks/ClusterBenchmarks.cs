using System.Globalization;
using Distributed.Futures;
using Distributed.Testing;

namespace Distributed.Benchmarks;

/// <summary>
/// The cluster path: a standalone coordinator process with two local workers, and a RemoteExecutor
/// here, against Python's local ProcessPoolExecutor (two workers) in the same run.
/// </summary>
public static class ClusterBenchmarks
{
    public static void Run(int runs, int tasks, int calls, int items)
    {
        // Fresh: the first figures of a coordinator started for this run and given one warm-up
        // call, as after a restart. Warm: the same figures again on the same coordinator.
        var fresh = Figures.New();
        var warm = Figures.New();
        var python = Figures.New();
        for (int run = 0; run < runs; run++)
        {
            using (var coordinator = StartCoordinator(out string address))
            using (var cluster = new RemoteExecutor(address))
            {
                cluster.Submit(ProcessPoolBenchmarks.NoOp).Result();
                fresh.Measure(cluster, tasks, calls, items);
                warm.Measure(cluster, tasks, calls, items);
            }

            python.Throughput.Add(PythonBaseline.Run("processpool.py", "throughput", "--tasks", $"{tasks}"));
            python.Map.Add(PythonBaseline.Run("processpool.py", "map", "--items", $"{items}", "--chunk", "1000"));
            var roundTrip = PythonBaseline.RunText("processpool.py", "roundtrip", "--calls", $"{calls}").Split(' ');
            python.P50.Add(double.Parse(roundTrip[0], CultureInfo.InvariantCulture));
            python.P99.Add(double.Parse(roundTrip[1], CultureInfo.InvariantCulture));
        }

        Console.WriteLine($"## Cluster: standalone coordinator with 2 local workers, RemoteExecutor client, against Python's local pool ({runs} runs, medians)");
        Console.WriteLine($"{"figure",-44} {"fresh",12} {"warm",12} {"Python",12}  fresh/Python");
        Row($"round trip p50, µs ({calls:N0} calls)", fresh.P50, warm.P50, python.P50, lowerIsBetter: true);
        Row("round trip p99, µs", fresh.P99, warm.P99, python.P99, lowerIsBetter: true);
        Row($"Map, chunkSize 1000, items/s ({items:N0})", fresh.Map, warm.Map, python.Map, lowerIsBetter: false);
        Row($"submit all then gather, tasks/s ({tasks:N0})", fresh.Throughput, warm.Throughput, python.Throughput, lowerIsBetter: false);
        Console.WriteLine();
    }

    private static void Row(string name, Measurement fresh, Measurement warm, Measurement python, bool lowerIsBetter) =>
        Console.WriteLine($"{name,-44} {fresh.Median,12:N0} {warm.Median,12:N0} {python.Median,12:N0}  {(lowerIsBetter ? python.Median / fresh.Median : fresh.Median / python.Median),6:F2}x");

    private sealed record Figures(Measurement P50, Measurement P99, Measurement Map, Measurement Throughput)
    {
        public static Figures New() => new(new("p50", "µs"), new("p99", "µs"), new("map", "items/s"), new("throughput", "tasks/s"));

        // Round trips first: a lone call on a fresh coordinator is the figure most sensitive to its first minute.
        public void Measure(Executor cluster, int tasks, int calls, int items)
        {
            var (p50, p99) = ProcessPoolBenchmarks.RoundTrip(cluster, calls);
            P50.Add(p50);
            P99.Add(p99);
            Map.Add(ProcessPoolBenchmarks.MapItems(cluster, items));
            Throughput.Add(ProcessPoolBenchmarks.Throughput(cluster, tasks));
        }
    }

    /// <summary>The coordinator executable, run beside this program, serving this program's assembly.</summary>
    private static ProgramProcess StartCoordinator(out string address) =>
        ProgramProcess.StartCoordinator(["--workers", "2", "--assembly", typeof(ClusterBenchmarks).Assembly.Location], out address);
}
