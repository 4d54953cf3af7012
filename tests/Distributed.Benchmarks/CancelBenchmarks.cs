using System.Diagnostics;
using Distributed.Futures;
using Distributed.Testing;

namespace Distributed.Benchmarks;

/// <summary>
/// Bulk cancel: one worker held by a long task, a great many tasks queued behind it, then
/// <c>Shutdown(wait: false, cancelFutures: true)</c>: the time from that call until every queued
/// future says canceled, for a RemoteExecutor (through a standalone coordinator) and a
/// ProcessPoolExecutor, against Python's ProcessPoolExecutor in the same run (memory per queued
/// task is the queued-memory benchmark's). Every queued task is checked canceled, and none may have run.
/// </summary>
public static class CancelBenchmarks
{
    public static void Run(int runs, int tasks)
    {
        var remote = new Measurement("remote", "s");
        var pool = new Measurement("pool", "s");
        var python = new Measurement("python", "s");
        for (int run = 0; run < runs; run++)
        {
            using (var coordinator = ProgramProcess.StartCoordinator(["--workers", "1", "--assembly", typeof(CancelBenchmarks).Assembly.Location, "--assembly", typeof(TestTasks).Assembly.Location], out string address))
            {
                remote.Add(CancelQueue(new RemoteExecutor(address), tasks));
            }

            pool.Add(CancelQueue(new ProcessPoolExecutor(maxWorkers: 1), tasks));
            python.Add(PythonBaseline.Run("cancel.py", "cancel", "--tasks", $"{tasks}"));
        }

        Console.WriteLine($"## Bulk cancel: Shutdown(wait: false, cancelFutures: true) with {tasks:N0} queued ({runs} runs, medians)");
        Console.WriteLine($"{"RemoteExecutor, standalone coordinator",-44} {remote.Median,8:F3} s   Python {python.Median,8:F3} s   ours/Python {python.Median / remote.Median,6:F2}x faster  floor: within 2 s");
        Console.WriteLine($"{"ProcessPoolExecutor",-44} {pool.Median,8:F3} s   Python {python.Median,8:F3} s   ours/Python {python.Median / pool.Median,6:F2}x faster");
        Console.WriteLine($"{"runs",-44} ({string.Join(", ", remote.Runs.Concat(pool.Runs).Select(r => r.ToString("F3", System.Globalization.CultureInfo.InvariantCulture)))} s)");
        Console.WriteLine();
    }

    /// <summary>Returns the seconds from the shutdown call to every queued future canceled.</summary>
    private static double CancelQueue(Executor executor, int tasks)
    {
        using var blocker = new TaskGate();
        using var probe = new TaskGate();
        probe.Open();
        executor.Submit(ProcessPoolBenchmarks.NoOp).Result();
        var held = executor.Submit(TestTasks.PassGate, blocker.Port, 0);
        blocker.WaitForArrivals(1);
        var queued = new Future[tasks];
        for (int i = 0; i < tasks; i++)
        {
            queued[i] = executor.Submit(TestTasks.ArriveAtGate, probe.Port);
        }

        var watch = Stopwatch.StartNew();
        executor.Shutdown(wait: false, cancelFutures: true);
        foreach (var future in queued)
        {
            if (!future.IsCanceled)
            {
                future.Exception(TimeSpan.FromSeconds(60));
            }
        }

        double seconds = watch.Elapsed.TotalSeconds;
        int canceled = queued.Count(f => f.IsCanceled);
        blocker.Open();
        held.Result(TimeSpan.FromSeconds(60));
        executor.Dispose();
        if (canceled != tasks || probe.Arrivals != 0)
        {
            throw new InvalidOperationException($"{canceled} of {tasks} were canceled and {probe.Arrivals} ran");
        }

        return seconds;
    }
}
