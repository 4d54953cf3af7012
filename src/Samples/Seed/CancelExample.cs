using Distributed.Futures;

namespace Distributed.Samples.Seed;

/// <summary>
/// Seed §4 and §6: only a task that is still waiting can be canceled; <c>shutdown</c> waits for
/// running work; and nothing can be submitted after it.
/// </summary>
public static class CancelExample
{
    public static void SomeTask(int n)
    {
        Console.WriteLine($"Executing Task {n}");
        Thread.Sleep(TimeSpan.FromMilliseconds(150 * n));
        Console.WriteLine($"Task {n} Finished Executing");
    }

    public static void Run()
    {
        var executor = new ThreadPoolExecutor(maxWorkers: 2);
        var task1 = executor.Submit(SomeTask, 1);
        executor.Submit(SomeTask, 2);
        var task3 = executor.Submit(SomeTask, 3);

        // Both workers are busy with tasks 1 and 2, so task 3 is still waiting and can be canceled.
        Console.WriteLine($"task3.Cancel() -> {task3.Cancel()} (state {task3.State})");
        Console.WriteLine($"task1.Cancel() -> {task1.Cancel()} (state {task1.State}: only a task still waiting can be canceled)");

        executor.Shutdown(wait: true);
        try
        {
            executor.Submit(SomeTask, 4);
        }
        catch (InvalidOperationException error)
        {
            Console.WriteLine($"Submit after shutdown: {error.Message}");
        }
    }
}
