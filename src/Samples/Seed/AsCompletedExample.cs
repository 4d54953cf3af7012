using Distributed.Futures;

namespace Distributed.Samples.Seed;

/// <summary>Seed §7: <c>for future in as_completed(tasks): print(future.result())</c>.</summary>
public static class AsCompletedExample
{
    // Later tasks sleep less, so they finish first: the output order shows completion, not submission.
    public static int Task(int n)
    {
        Thread.Sleep(TimeSpan.FromMilliseconds(20 * (10 - n)));
        return n;
    }

    public static void Run()
    {
        using var executor = new ThreadPoolExecutor(maxWorkers: 10);
        var tasks = Enumerable.Range(0, 10).Select(i => executor.Submit(Task, i)).ToList();

        Console.WriteLine("Results as the tasks complete:");
        foreach (var future in Future.AsCompleted(tasks))
        {
            Console.Write($"{future.Result()} ");
        }

        Console.WriteLine();
    }
}
