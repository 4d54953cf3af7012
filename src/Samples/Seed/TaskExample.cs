using Distributed.Futures;

namespace Distributed.Samples.Seed;

/// <summary>Seed §2: <c>task(n)</c> only says it is processing n; <c>main()</c> submits through a <c>with</c> block.</summary>
public static class TaskExample
{
    public static void Task(int n) => Console.WriteLine($"Processing {n}");

    public static void Run()
    {
        Console.WriteLine("Starting ThreadPoolExecutor");
        using (var executor = new ThreadPoolExecutor(maxWorkers: 3))
        {
            executor.Submit(Task, 2);
            executor.Submit(Task, 3);
            executor.Submit(Task, 4);
        }

        // Leaving the using block is shutdown(wait=True): every task has run by now.
        Console.WriteLine("All tasks complete");
    }
}
