using Distributed.Futures;

// Each mode is one scenario; the test that runs it reads what it prints.
return args.FirstOrDefault() switch
{
    "exit-with-queued-work" => ExitWithQueuedWork(),
    _ => Usage(),
};

// Submits work and returns from Main without shutting the pool down: as in Python, the queued
// work must still run before the process ends.
static int ExitWithQueuedWork()
{
    var executor = new ThreadPoolExecutor(maxWorkers: 1);
    for (int i = 0; i < 5; i++)
    {
        executor.Submit(Report, i);
    }

    Console.WriteLine("main returns");
    return 0;
}

static void Report(int i)
{
    Thread.Sleep(20);
    Console.WriteLine($"task {i} ran");
}

static int Usage()
{
    Console.Error.WriteLine("usage: Distributed.TestPrograms exit-with-queued-work");
    return 2;
}
