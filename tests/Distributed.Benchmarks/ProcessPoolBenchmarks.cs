using System.Diagnostics;
using System.Globalization;
using Distributed.Futures;
using Distributed.Samples.Seed;

namespace Distributed.Benchmarks;

/// <summary>
/// Our ProcessPoolExecutor against Python's, both with two workers started before the clock (except
/// for start-up): throughput of no-op tasks, Map with chunks, sequential round trips, the time to a
/// first result, and the primes sample's speed-up over one thread.
/// </summary>
public static class ProcessPoolBenchmarks
{
    public const string StartupChild = "processpool-startup-child";
    private const int Workers = 2;

    public static void Run(int runs, int tasks, int items, int calls)
    {
        var ours = new Dictionary<string, Measurement>();
        var python = new Dictionary<string, Measurement>();
        Measurement Ours(string name, string unit) => ours.TryGetValue(name, out var m) ? m : ours[name] = new Measurement(name, unit);
        Measurement Python(string name, string unit) => python.TryGetValue(name, out var m) ? m : python[name] = new Measurement(name, unit);

        for (int run = 0; run < runs; run++)
        {
            using (var pool = Warm(new ProcessPoolExecutor(Workers)))
            {
                Ours("throughput", "tasks/s").Add(Throughput(pool, tasks));
                Ours("map", "items/s").Add(MapItems(pool, items));
                var (p50, p99) = RoundTrip(pool, calls);
                Ours("p50", "µs").Add(p50);
                Ours("p99", "µs").Add(p99);
            }

            Ours("startup", "ms").Add(SelfProcess.Number(SelfProcess.Run(StartupChild)) * 1000);
            Python("throughput", "tasks/s").Add(PythonBaseline.Run("processpool.py", "throughput", "--tasks", $"{tasks}"));
            Python("map", "items/s").Add(PythonBaseline.Run("processpool.py", "map", "--items", $"{items}", "--chunk", "1000"));
            var python99 = PythonBaseline.RunText("processpool.py", "roundtrip", "--calls", $"{calls}").Split(' ');
            Python("p50", "µs").Add(double.Parse(python99[0], CultureInfo.InvariantCulture));
            Python("p99", "µs").Add(double.Parse(python99[1], CultureInfo.InvariantCulture));
            Python("startup", "ms").Add(PythonBaseline.Run("processpool.py", "startup") * 1000);
        }

        Console.WriteLine($"## Process pool, {Workers} workers each ({runs} runs, medians)");
        Row("submit all then gather, no-op tasks", tasks, ours["throughput"], python["throughput"], higherIsBetter: true, floor: "5x");
        Row("Map of ints, chunkSize 1000", items, ours["map"], python["map"], higherIsBetter: true, floor: "1x");
        Row("round trip p50", calls, ours["p50"], python["p50"], higherIsBetter: false, floor: "p50 no worse");
        Row("round trip p99", calls, ours["p99"], python["p99"], higherIsBetter: false, floor: "reported");
        Row("new pool to first result", 1, ours["startup"], python["startup"], higherIsBetter: false, floor: "reported");
        Primes(Math.Max(runs, 7));
        Console.WriteLine();
    }

    public static int NoOp() => 0;

    public static long Square(int value) => (long)value * value;

    /// <summary>Child mode: a fresh process times its pool from construction to the first result.</summary>
    public static int MeasureStartup()
    {
        var watch = Stopwatch.StartNew();
        using var pool = new ProcessPoolExecutor(Workers);
        pool.Submit(NoOp).Result();
        Console.WriteLine(watch.Elapsed.TotalSeconds.ToString(CultureInfo.InvariantCulture));
        return 0;
    }

    internal static ProcessPoolExecutor Warm(ProcessPoolExecutor pool)
    {
        Enumerable.Range(0, Workers * 20).Select(_ => pool.Submit(NoOp)).ToList().ForEach(f => f.Result());
        return pool;
    }

    internal static double Throughput(Executor pool, int tasks)
    {
        var futures = new Future<int>[tasks];
        var watch = Stopwatch.StartNew();
        for (int i = 0; i < tasks; i++)
        {
            futures[i] = pool.Submit(NoOp);
        }

        foreach (var future in futures)
        {
            future.Result();
        }

        return tasks / watch.Elapsed.TotalSeconds;
    }

    internal static double MapItems(Executor pool, int items)
    {
        var watch = Stopwatch.StartNew();
        long total = pool.Map(Square, Enumerable.Range(0, items), chunkSize: 1000).Sum();
        double rate = items / watch.Elapsed.TotalSeconds;
        long expected = Enumerable.Range(0, items).Sum(i => (long)i * i);
        return total == expected ? rate : throw new InvalidOperationException($"Map summed to {total}, expected {expected}");
    }

    internal static (double P50, double P99) RoundTrip(Executor pool, int calls)
    {
        var micros = new double[calls];
        for (int i = 0; i < calls; i++)
        {
            long start = Stopwatch.GetTimestamp();
            pool.Submit(NoOp).Result();
            micros[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }

        Array.Sort(micros);
        return (micros[calls / 2], micros[(int)(calls * 0.99)]);
    }

    public static void Primes(int runs)
    {
        const long Limit = 1_000_000_000;
        const int Segments = 32;
        var starts = Enumerable.Range(0, Segments).Select(i => Limit * i / Segments).ToList();
        var ends = Enumerable.Range(0, Segments).Select(i => Limit * (i + 1) / Segments).ToList();
        var speedUp = new Measurement("primes speed-up", "x");
        var serialSeconds = new Measurement("serial", "s");
        var pooledSeconds = new Measurement("pool", "s");
        using var pool = Warm(new ProcessPoolExecutor(Workers));

        // One untimed round of each first. On 2 cores the background re-JIT of this process's hot
        // paths (0.3 to 0.5 s of CPU after the first calls of a new shape) competes with the
        // workers; the figure is for a warm pool in a warm process, as it is for the serial side.
        _ = starts.Zip(ends).Sum(r => Distributed.Samples.Seed.Primes.CountInRange(r.First, r.Second));
        _ = pool.Map(Distributed.Samples.Seed.Primes.CountInRange, starts, ends).Sum();
        for (int run = 0; run < runs; run++)
        {
            var watch = Stopwatch.StartNew();
            long serial = starts.Zip(ends).Sum(r => Distributed.Samples.Seed.Primes.CountInRange(r.First, r.Second));
            var serialTime = watch.Elapsed;
            watch.Restart();
            long pooled = pool.Map(Distributed.Samples.Seed.Primes.CountInRange, starts, ends).Sum();
            var pooledTime = watch.Elapsed;
            if (serial != pooled)
            {
                throw new InvalidOperationException($"primes: {serial} serially, {pooled} in the pool");
            }

            speedUp.Add(serialTime / pooledTime);
            serialSeconds.Add(serialTime.TotalSeconds);
            pooledSeconds.Add(pooledTime.TotalSeconds);
        }

        Console.WriteLine($"{"primes below 1e9, 32 segments: pool speed-up over serial",-52} {speedUp.Median,10:F2}x (min {speedUp.Min:F2}, max {speedUp.Max:F2})  floor 1.8x  (serial {serialSeconds.Median:F2} s, pool {pooledSeconds.Median:F2} s)");
    }

    private static void Row(string what, int count, Measurement ours, Measurement python, bool higherIsBetter, string floor)
    {
        double ratio = higherIsBetter ? ours.Median / python.Median : python.Median / ours.Median;
        Console.WriteLine(
            $"{what + $" ({count:N0})",-52} ours {ours.Median,12:N1} {ours.Unit,-8} Python {python.Median,12:N1} {python.Unit,-8} ours/Python {ratio,6:F2}x  floor {floor}");
    }
}
