using System.Diagnostics;
using Distributed.Futures;

namespace Distributed.Benchmarks;

/// <summary>
/// No-op tasks, submit all then take every result, with two workers: our ThreadPoolExecutor against
/// Python's and against the floor of what .NET can do (its own ThreadPool and a TaskCompletionSource
/// per task). The three are interleaved run by run so that machine noise falls on all of them alike.
/// </summary>
public static class ThreadPoolThroughput
{
    private const int Workers = 2;
    private const int WarmUpTasks = 1_000;

    public static void Run(int tasks, int runs)
    {
        var ours = new Measurement("ThreadPoolExecutor(maxWorkers: 2)", "tasks/s");
        var raw = new Measurement("raw .NET ThreadPool.UnsafeQueueUserWorkItem + TaskCompletionSource", "tasks/s");
        var python = new Measurement("Python concurrent.futures.ThreadPoolExecutor(max_workers=2)", "tasks/s");

        MeasureOurs(WarmUpTasks);
        MeasureRaw(WarmUpTasks);
        for (int run = 0; run < runs; run++)
        {
            ours.Add(MeasureOurs(tasks));
            raw.Add(MeasureRaw(tasks));
            python.Add(PythonBaseline.Run("threadpool_noop.py", "--tasks", tasks.ToString(), "--workers", Workers.ToString()));
        }

        Console.WriteLine($"## Thread pool: {tasks:N0} no-op tasks, submit all then take every result, {Workers} workers");
        foreach (var measurement in new[] { ours, raw, python })
        {
            Console.WriteLine($"{measurement.Name,-70} {measurement.Describe()}");
        }

        Console.WriteLine($"ours / Python  = {ours.Median / python.Median,6:F1}x   (floor: 13x)");
        Console.WriteLine($"ours / raw     = {ours.Median / raw.Median,6:F2}x   (floor: 0.33x, within 3x of raw .NET)");
        Console.WriteLine();
    }

    public static int NoOp() => 0;

    private static double MeasureOurs(int tasks)
    {
        using var executor = new ThreadPoolExecutor(Workers);

        // Start both threads before the clock does, as the Python side's warm-up does.
        var warmUp = Enumerable.Range(0, WarmUpTasks).Select(_ => executor.Submit(NoOp)).ToList();
        warmUp.ForEach(f => f.Result());

        var futures = new Future<int>[tasks];
        var watch = Stopwatch.StartNew();
        for (int i = 0; i < futures.Length; i++)
        {
            futures[i] = executor.Submit(NoOp);
        }

        foreach (var future in futures)
        {
            future.Result();
        }

        return tasks / watch.Elapsed.TotalSeconds;
    }

    private static double MeasureRaw(int tasks)
    {
        var completions = new TaskCompletionSource<int>[tasks];
        var watch = Stopwatch.StartNew();
        for (int i = 0; i < completions.Length; i++)
        {
            var completion = new TaskCompletionSource<int>();
            completions[i] = completion;
            ThreadPool.UnsafeQueueUserWorkItem(static c => c.SetResult(NoOp()), completion, preferLocal: false);
        }

        foreach (var completion in completions)
        {
            completion.Task.GetAwaiter().GetResult();
        }

        return tasks / watch.Elapsed.TotalSeconds;
    }
}
