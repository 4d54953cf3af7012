using System.Diagnostics;
using Distributed.Futures;
using Distributed.Testing;

namespace Distributed.Benchmarks;

/// <summary>
/// What an async task function costs over a sync one: submit all then gather no-op tasks, sync and
/// async interleaved in the same executor, on each of the three executors (two workers each).
/// </summary>
public static class AsyncOverhead
{
    private const int Workers = 2;

    public static void Run(int runs, int tasks)
    {
        Console.WriteLine($"## Async no-op against sync no-op: {tasks:N0} tasks, submit all then gather, {Workers} workers ({runs} runs, medians)");
        using (var threads = new ThreadPoolExecutor(Workers))
        {
            Compare("ThreadPoolExecutor", threads, runs, tasks);
        }

        using (var pool = new ProcessPoolExecutor(Workers))
        {
            Compare("ProcessPoolExecutor", pool, runs, tasks);
        }

        using (var coordinator = ProgramProcess.StartCoordinator(["--workers", $"{Workers}", "--assembly", typeof(AsyncOverhead).Assembly.Location], out string address))
        using (var cluster = new RemoteExecutor(address))
        {
            Compare("RemoteExecutor (coordinator --workers 2)", cluster, runs, tasks);
        }

        Console.WriteLine();
    }

    /// <summary>An async method that ends without awaiting, as most short async calls do.</summary>
    public static async Task<int> NoOpAsync()
    {
        await Task.CompletedTask.ConfigureAwait(false);
        return 0;
    }

    private static void Compare(string name, Executor executor, int runs, int tasks)
    {
        var sync = new Measurement("sync", "tasks/s");
        var async = new Measurement("async", "tasks/s");
        Throughput(executor, Math.Min(tasks, 2_000), ProcessPoolBenchmarks.NoOp);
        Throughput(executor, Math.Min(tasks, 2_000), NoOpAsync);
        for (int run = 0; run < runs; run++)
        {
            sync.Add(Throughput(executor, tasks, ProcessPoolBenchmarks.NoOp));
            async.Add(Throughput(executor, tasks, NoOpAsync));
        }

        Console.WriteLine($"{name,-44} sync {sync.Median,12:N0} tasks/s  async {async.Median,12:N0} tasks/s  sync/async {sync.Median / async.Median,5:F2}x  ceiling 1.3x");
    }

    private static double Throughput(Executor executor, int tasks, Func<int> function) =>
        Time(tasks, () => executor.Submit(function));

    private static double Throughput(Executor executor, int tasks, Func<Task<int>> function) =>
        Time(tasks, () => executor.Submit(function));

    private static double Time(int tasks, Func<Future<int>> submit)
    {
        var futures = new Future<int>[tasks];
        var watch = Stopwatch.StartNew();
        for (int i = 0; i < tasks; i++)
        {
            futures[i] = submit();
        }

        foreach (var future in futures)
        {
            future.Result();
        }

        return tasks / watch.Elapsed.TotalSeconds;
    }
}
