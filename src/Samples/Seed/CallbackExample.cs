using Distributed.Futures;

namespace Distributed.Samples.Seed;

/// <summary>Seed §8: <c>future.add_done_callback(taskDone)</c>, and a second callback on the same future.</summary>
public static class CallbackExample
{
    public static void Task(int n) => Console.WriteLine($"Processing {n}");

    public static void TaskDone(Future future)
    {
        if (future.IsCanceled)
        {
            Console.WriteLine("Our Future has been cancelled");
        }
        else if (future.IsDone)
        {
            Console.WriteLine("Our Task has completed");
        }
    }

    public static void SecondTaskDone(Future future) => Console.WriteLine("I didn't think this would work");

    public static void Run()
    {
        Console.WriteLine("Starting ThreadPoolExecutor");
        using (var executor = new ThreadPoolExecutor(maxWorkers: 3))
        {
            var future = executor.Submit(Task, 2);
            future.AddDoneCallback(TaskDone);
            future.AddDoneCallback(SecondTaskDone);
        }

        Console.WriteLine("All tasks complete");
    }
}
