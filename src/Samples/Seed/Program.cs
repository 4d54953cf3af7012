using Distributed.Samples.Seed;
using Distributed.Samples.Seed.Crawler;

// The seed tutorial's examples, in its order. Run them all, or name some: task map callback ...
// --limit N sets how far the primes example counts (default one billion); --coordinator URL runs
// it on a cluster instead (its token from --token-file, or DISTRIBUTED_TOKEN). `worker --coordinator
// URL [--token-file F] [--slots N] [--worker-id ID]` serves a cluster instead: this app as a worker.
if (args.FirstOrDefault() == "worker")
{
    return SeedWorker.Run(args[1..]);
}

var options = SampleOptions.Parse(ref args);
if (options.Error is { } error)
{
    Console.Error.WriteLine(error);
    return 2;
}

var examples = new (string Name, string Title, Func<Task> Run)[]
{
    ("task", "Executor objects: task(n) in a ThreadPoolExecutor(maxWorkers: 3)", Sync(TaskExample.Run)),
    ("map", "map(multiplyByTwo, values)", Sync(MapExample.Run)),
    ("callback", "add_done_callback", Sync(CallbackExample.Run)),
    ("as-completed", "as_completed", Sync(AsCompletedExample.Run)),
    ("cancel", "cancel() and shutdown()", Sync(CancelExample.Run)),
    ("primes", "Speeding up CPU-bound work: serial vs ThreadPoolExecutor vs ProcessPoolExecutor", options.Coordinator is { } coordinator
        ? Sync(() => PrimesExample.RunOnCluster(coordinator, options.Token, options.PrimesLimit))
        : Sync(() => PrimesExample.Run(options.PrimesLimit))),
    ("crawler", "Web crawler: sequential vs ThreadPoolExecutor", WebCrawlerExample.RunAsync),
    ("async-crawler", "Async web crawler: a ProcessPoolExecutor, a timeout per page, Ctrl+C to cancel", () => AsyncCrawlerExample.RunAsync(stall: TimeSpan.FromMinutes(1))),
};

var chosen = args.Length == 0 ? examples : examples.Where(e => args.Contains(e.Name, StringComparer.OrdinalIgnoreCase)).ToArray();
var unknown = args.Except(examples.Select(e => e.Name), StringComparer.OrdinalIgnoreCase).ToList();
if (unknown.Count > 0)
{
    Console.Error.WriteLine($"Unknown example(s): {string.Join(", ", unknown)}. Known: {string.Join(" ", examples.Select(e => e.Name))}");
    return 2;
}

foreach (var (_, title, run) in chosen)
{
    Console.WriteLine($"== {title}");
    await run();
    Console.WriteLine();
}

return 0;

static Func<Task> Sync(Action run) => () =>
{
    run();
    return Task.CompletedTask;
};
