using System.Diagnostics;
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
    public static void Run(int runs, int tasks, int calls)
    {
        var throughput = new Measurement("ours", "tasks/s");
        var p50 = new Measurement("ours p50", "µs");
        var python = new Measurement("python", "tasks/s");
        var python50 = new Measurement("python p50", "µs");
        for (int run = 0; run < runs; run++)
        {
            using (var coordinator = StartCoordinator(out string address))
            using (var cluster = new RemoteExecutor(address))
            {
                Enumerable.Range(0, 40).Select(_ => cluster.Submit(ProcessPoolBenchmarks.NoOp)).ToList().ForEach(f => f.Result());
                throughput.Add(Throughput(cluster, tasks));
                p50.Add(MedianRoundTrip(cluster, calls));
            }

            python.Add(PythonBaseline.Run("processpool.py", "throughput", "--tasks", $"{tasks}"));
            python50.Add(double.Parse(PythonBaseline.RunText("processpool.py", "roundtrip", "--calls", $"{calls}").Split(' ')[0], CultureInfo.InvariantCulture));
        }

        Console.WriteLine($"## Cluster: standalone coordinator with 2 local workers, RemoteExecutor client ({runs} runs, medians)");
        Console.WriteLine($"{$"submit all then gather, no-op tasks ({tasks:N0})",-52} ours {throughput.Median,12:N1} tasks/s  Python local pool {python.Median,12:N1} tasks/s  ours/Python {throughput.Median / python.Median,6:F2}x  floor 3x");
        Console.WriteLine($"{$"round trip p50 ({calls:N0})",-52} ours {p50.Median,12:N1} µs       Python local pool {python50.Median,12:N1} µs       ours/Python {python50.Median / p50.Median,6:F2}x  floor reported");
        Console.WriteLine();
    }

    private static double Throughput(Executor executor, int tasks)
    {
        var futures = new Future<int>[tasks];
        var watch = Stopwatch.StartNew();
        for (int i = 0; i < tasks; i++)
        {
            futures[i] = executor.Submit(ProcessPoolBenchmarks.NoOp);
        }

        foreach (var future in futures)
        {
            future.Result();
        }

        return tasks / watch.Elapsed.TotalSeconds;
    }

    private static double MedianRoundTrip(Executor executor, int calls)
    {
        var micros = new double[calls];
        for (int i = 0; i < calls; i++)
        {
            long start = Stopwatch.GetTimestamp();
            executor.Submit(ProcessPoolBenchmarks.NoOp).Result();
            micros[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }

        Array.Sort(micros);
        return micros[calls / 2];
    }

    /// <summary>The coordinator executable, run beside this program, serving this program's assembly.</summary>
    private static ProgramProcess StartCoordinator(out string address) =>
        ProgramProcess.StartCoordinator(["--workers", "2", "--assembly", typeof(ClusterBenchmarks).Assembly.Location], out address);
}
