using Distributed.Futures;

namespace Distributed.TestPrograms;

public static class Scenarios
{
    /// <summary>
    /// Submits work and returns from Main without shutting the pool down: as in Python, the queued
    /// work must still run before the process ends.
    /// </summary>
    public static int ExitWithQueuedWork()
    {
        var executor = new ThreadPoolExecutor(maxWorkers: 1);
        for (int i = 0; i < 5; i++)
        {
            executor.Submit(Report, i);
        }

        Console.WriteLine("main returns");
        return 0;
    }

    /// <summary>As <see cref="ExitWithQueuedWork"/>, with async tasks that are awaiting when Main returns.</summary>
    public static int ExitWithAwaitingWork()
    {
        var executor = new ThreadPoolExecutor(maxWorkers: 2);
        for (int i = 0; i < 4; i++)
        {
            executor.Submit(ReportAsync, i);
        }

        Console.WriteLine("main returns");
        return 0;
    }

    /// <summary>The seed's task(n) from worker processes: their output reaches this console.</summary>
    public static int ProcessPoolPrints()
    {
        using (var executor = new ProcessPoolExecutor(maxWorkers: 2))
        {
            executor.Submit(Processing, 2);
            executor.Submit(Processing, 3);
            executor.Submit(Processing, 4);
        }

        Console.WriteLine("All tasks complete");
        return 0;
    }

    /// <summary>Starts a pool, prints its worker process ids, then waits to be killed.</summary>
    public static int ProcessPoolThenWait()
    {
        var executor = new ProcessPoolExecutor(maxWorkers: 2);
        var pids = Enumerable.Range(0, 20).Select(_ => executor.Submit(WorkerProcessId)).ToList()
            .Select(f => f.Result(TimeSpan.FromSeconds(60))).Distinct().ToList();
        Console.WriteLine($"workers {string.Join(' ', executor.WorkerProcessIds)}");
        Console.WriteLine($"ran-in {string.Join(' ', pids)}");
        Console.Out.Flush();
        Console.In.ReadLine();
        return 0;
    }

    /// <summary>
    /// A client of a coordinator that submits one task held at a gate and twenty queued behind it,
    /// says so, and waits to be killed: the coordinator must then cancel what it had queued.
    /// </summary>
    public static int RemoteClientThenWait(string coordinator, int gatePort)
    {
        var executor = new RemoteExecutor(coordinator);
        executor.Submit(Distributed.Testing.TestTasks.PassGate, gatePort, 0);
        for (int i = 0; i < 20; i++)
        {
            executor.Submit(Distributed.Testing.TestTasks.Identity, i);
        }

        Console.WriteLine("submitted");
        Console.Out.Flush();
        Console.In.ReadLine();
        return 0;
    }

    public static void Processing(int n) => Console.WriteLine($"Processing {n}");

    public static int WorkerProcessId() => Environment.ProcessId;

    public static int Usage()
    {
        Console.Error.WriteLine("usage: Distributed.TestPrograms exit-with-queued-work | exit-with-awaiting-work | process-pool-prints | process-pool-then-wait | hosted-worker --Distributed:Worker:Coordinator URL [--Distributed:Worker:KEY VALUE]...");
        return 2;
    }

    private static async Task ReportAsync(int i)
    {
        await Task.Delay(50).ConfigureAwait(false);
        Console.WriteLine($"async task {i} ran");
    }

    private static void Report(int i)
    {
        Thread.Sleep(20);
        Console.WriteLine($"task {i} ran");
    }
}
