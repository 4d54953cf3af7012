using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using Distributed.Futures;

namespace Distributed.Benchmarks;

/// <summary>
/// Where the round trip's tail comes from, with a histogram rather than a mean: a fresh process
/// starts a pool, warms it as the other figures do, and times sequential no-op calls. Beside each
/// call it notes what the process did meanwhile (a garbage collection, a method compiled on any
/// thread (the runtime's tiered recompilation runs in the background), a thread added to the
/// thread pool, a contended lock), so the slowest calls can be set against how often each happens
/// at all. Python's pool runs the same calls in the same run.
/// </summary>
public static class RoundTripTail
{
    public const string ChildCommand = "tail-child";
    private const int Workers = 2;

    // Upper bounds of the histogram's buckets, µs; the last is open.
    private static readonly double[] s_bucketBounds = [100, 200, 300, 500, 1_000, 2_000, 5_000];

    public static void Run(int runs, int calls)
    {
        Console.WriteLine($"## Round trip tail: fresh process, pool warmed by {Workers * 20} calls, then {calls:N0} sequential no-op calls ({runs} runs)");
        var python50 = new Measurement("p50", "µs");
        var python99 = new Measurement("p99", "µs");
        for (int run = 0; run < runs; run++)
        {
            Console.WriteLine($"run {run + 1}");
            Console.WriteLine(SelfProcess.RunAll(ChildCommand, $"{calls}"));
            var python = PythonBaseline.RunText("processpool.py", "roundtrip", "--calls", $"{calls}").Split(' ');
            python50.Add(double.Parse(python[0], CultureInfo.InvariantCulture));
            python99.Add(double.Parse(python[1], CultureInfo.InvariantCulture));
        }

        Console.WriteLine($"Python's pool, same calls: p50 {python50.Median:N0} µs, p99 {python99.Median:N0} µs (medians of {runs} runs)");
        Console.WriteLine();
    }

    /// <summary>Child mode: one fresh process's calls, reported as histograms and the slowest calls' company.</summary>
    public static int MeasureChild(int calls)
    {
        using var pool = ProcessPoolBenchmarks.Warm(new ProcessPoolExecutor(Workers));
        var samples = new Sample[calls];
        for (int i = 0; i < calls; i++)
        {
            var before = Snapshot.Take();
            long start = Stopwatch.GetTimestamp();
            pool.Submit(ProcessPoolBenchmarks.NoOp).Result();
            double micros = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            samples[i] = new Sample(micros, Snapshot.Take().Since(before));
        }

        Report(samples);
        return 0;
    }

    private static void Report(Sample[] samples)
    {
        var sorted = samples.Select(s => s.Micros).Order().ToArray();
        double Percentile(double p) => sorted[Math.Min(sorted.Length - 1, (int)(sorted.Length * p))];
        Console.WriteLine($"  p50 {Percentile(0.5):N0} µs, p99 {Percentile(0.99):N0} µs, p99.9 {Percentile(0.999):N0} µs, max {sorted[^1]:N0} µs; GC: {(GCSettings.IsServerGC ? "server" : "workstation")}, {GC.CollectionCount(0)} gen0 / {GC.CollectionCount(2)} gen2 collections");

        // Early against late: whatever settles as the process warms (tiered recompilation, the
        // thread pool finding its size) shows as a tail that shrinks.
        int part = Math.Max(1, samples.Length / 5);
        Console.WriteLine($"  {"µs",-16}{string.Join("", BucketNames().Select(n => $"{n,9}"))}");
        Console.WriteLine($"  {$"first {part:N0}",-16}{Histogram(samples.Take(part))}");
        Console.WriteLine($"  {$"last {part:N0}",-16}{Histogram(samples.Skip(samples.Length - part))}");
        Console.WriteLine($"  {"all",-16}{Histogram(samples)}");

        // The slowest 1 % beside all calls: how many of each had a collection, a compilation, a new
        // pool thread, or a contended lock while they ran.
        double threshold = Percentile(0.99);
        var slow = samples.Where(s => s.Micros >= threshold).ToArray();
        Console.WriteLine($"  {"share of calls with",-28}{"GC",8}{"compiled",10}{"new thread",12}{"contention",12}{"none",8}");
        Console.WriteLine($"  {$"slowest 1 % ({slow.Length}, ≥ {threshold:N0} µs)",-28}{Shares(slow)}");
        Console.WriteLine($"  {$"all {samples.Length:N0}",-28}{Shares(samples)}");
        var compiledInSlow = slow.Sum(s => s.During.Compiled);
        Console.WriteLine($"  methods compiled during the slowest 1 %: {compiledInSlow:N0}; during all calls: {samples.Sum(s => s.During.Compiled):N0}");
    }

    private static IEnumerable<string> BucketNames()
    {
        double low = 0;
        foreach (double bound in s_bucketBounds)
        {
            yield return $"<{bound:N0}";
            low = bound;
        }

        yield return $"≥{low:N0}";
    }

    private static string Histogram(IEnumerable<Sample> samples)
    {
        var counts = new int[s_bucketBounds.Length + 1];
        foreach (var sample in samples)
        {
            int bucket = Array.FindIndex(s_bucketBounds, bound => sample.Micros < bound);
            counts[bucket < 0 ? s_bucketBounds.Length : bucket]++;
        }

        return string.Join("", counts.Select(c => $"{c,9:N0}"));
    }

    private static string Shares(Sample[] samples)
    {
        string Share(Func<Activity, bool> had) =>
            samples.Length == 0 ? "-" : $"{100.0 * samples.Count(s => had(s.During)) / samples.Length:F0} %";
        return $"{Share(a => a.Collections > 0),8}{Share(a => a.Compiled > 0),10}{Share(a => a.ThreadsAdded > 0),12}{Share(a => a.Contentions > 0),12}{Share(a => a.IsQuiet),8}";
    }

    private readonly record struct Sample(double Micros, Activity During);

    /// <summary>What the process did while one call ran.</summary>
    private readonly record struct Activity(int Collections, long Compiled, int ThreadsAdded, long Contentions)
    {
        public bool IsQuiet => Collections == 0 && Compiled == 0 && ThreadsAdded <= 0 && Contentions == 0;
    }

    private readonly record struct Snapshot(int Collections, long Compiled, int Threads, long Contentions)
    {
        public static Snapshot Take() => new(
            GC.CollectionCount(0),
            JitInfo.GetCompiledMethodCount(currentThread: false),
            ThreadPool.ThreadCount,
            Monitor.LockContentionCount);

        public Activity Since(Snapshot before) =>
            new(Collections - before.Collections, Compiled - before.Compiled, Threads - before.Threads, Contentions - before.Contentions);
    }
}
