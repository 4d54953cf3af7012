using System.Diagnostics;
using Distributed.Futures;

namespace Distributed.Samples.Seed;

/// <summary>
/// Seed §10: speeding up CPU-bound work. Counts the primes below a limit, in equal segments, on one
/// thread, on a ThreadPoolExecutor and on a ProcessPoolExecutor, and prints what really happens
/// here. Python's thread pool is no faster than one thread (the GIL); in .NET, threads run in
/// parallel too, and processes add isolation at the cost of starting them. Each run shows its
/// progress while it counts (<see cref="ConsoleProgress"/>).
/// </summary>
public static class PrimesExample
{
    public static void Run(long limit = 1_000_000_000, int segments = 32)
    {
        var ranges = Enumerable.Range(0, segments).Select(i => (Start: limit * i / segments, End: limit * (i + 1) / segments)).ToList();
        int workers = Environment.ProcessorCount;
        Console.WriteLine($"Counting the primes below {limit:N0} in {segments} segments, {workers} workers");

        var watch = Stopwatch.StartNew();
        long serial = CountSerially(ranges, "serial (one thread)");
        var serialTime = watch.Elapsed;
        Report("serial (one thread)", serial, serialTime, serialTime);

        using (var threads = new ThreadPoolExecutor(workers))
        {
            Report("ThreadPoolExecutor", CountWith(threads, ranges, "ThreadPoolExecutor", out var time), time, serialTime);
        }

        watch.Restart();
        using (var processes = new ProcessPoolExecutor(workers))
        {
            // A pool is started once and kept: warm it up (start every worker) before timing the work.
            var warmUp = Enumerable.Range(0, workers * 4).Select(_ => processes.Submit(Primes.IsPrime, 97L)).ToList();
            warmUp.ForEach(f => f.Result());
            var startup = watch.Elapsed;
            long count = CountWith(processes, ranges, "ProcessPoolExecutor", out var time);
            Report("ProcessPoolExecutor (warm)", count, time, serialTime);
            Report("ProcessPoolExecutor (with start-up)", count, startup + time, serialTime);
        }
    }

    /// <summary>
    /// The same count on a cluster: the coordinator at <paramref name="coordinator"/> hands the
    /// segments to whatever workers have dialed it (they need this sample's assembly).
    /// </summary>
    public static void RunOnCluster(string coordinator, string? token, long limit = 1_000_000_000, int segments = 32)
    {
        var ranges = Enumerable.Range(0, segments).Select(i => (Start: limit * i / segments, End: limit * (i + 1) / segments)).ToList();
        Console.WriteLine($"Counting the primes below {limit:N0} in {segments} segments on the cluster at {coordinator}");
        var options = new RemoteExecutorOptions { Token = token };
        var watch = Stopwatch.StartNew();
        long serial = CountSerially(ranges, "serial (one thread, here)");
        var serialTime = watch.Elapsed;
        Report("serial (one thread, here)", serial, serialTime, serialTime);
        using var cluster = new RemoteExecutor(coordinator, options);
        long count = CountWith(cluster, ranges, "RemoteExecutor", out var time);
        Report("RemoteExecutor", count, time, serialTime);
        if (count != serial)
        {
            throw new InvalidOperationException($"The cluster counted {count} primes, this process {serial}.");
        }
    }

    private static long CountSerially(List<(long Start, long End)> ranges, string label)
    {
        var progress = new ConsoleProgress(label);
        return ranges.WithProgress(progress, progress.Options).Sum(r => Primes.CountInRange(r.Start, r.End));
    }

    private static long CountWith(Executor executor, List<(long Start, long End)> ranges, string label, out TimeSpan elapsed)
    {
        var progress = new ConsoleProgress(label);
        var watch = Stopwatch.StartNew();
        long count = executor.Map(Primes.CountInRange, ranges.Select(r => r.Start), ranges.Select(r => r.End))
            .WithProgress(progress, progress.Options)
            .Sum();
        elapsed = watch.Elapsed;
        return count;
    }

    private static void Report(string how, long count, TimeSpan time, TimeSpan serial) =>
        Console.WriteLine($"{how,-38} {count,12:N0} primes  {time.TotalSeconds,7:F2} s  speed-up {serial / time,5:F2}x");
}
