using System.Globalization;
using Distributed.Benchmarks;

// Usage: Distributed.Benchmarks [threadpool] [processpool] [primes] [seed-primes] [worker-startup] [tail] [cluster] [coordinator-cost] [cancel] [queued-memory] [fault-bounds] [map-memory] [telemetry-overhead] [--runs N] [--tasks N] [--items N] [--calls N] [--rounds N]
// With no benchmark named, runs them all. Figures are medians of --runs runs.
if (args.Length > 0 && args[0] == MapMemory.ChildCommand)
{
    return MapMemory.Child(int.Parse(args[1], CultureInfo.InvariantCulture), int.Parse(args[2], CultureInfo.InvariantCulture));
}

if (args.Length > 0 && args[0] == QueuedMemory.ChildCommand)
{
    return QueuedMemory.Child(args[1], int.Parse(args[2], CultureInfo.InvariantCulture));
}

if (args.Length > 0 && args[0] == SeedPrimes.ChildCommand)
{
    return SeedPrimes.MeasureChild(int.Parse(args[1], CultureInfo.InvariantCulture), int.Parse(args[2], CultureInfo.InvariantCulture));
}

if (args.Length > 0 && args[0] == RoundTripTail.ChildCommand)
{
    return RoundTripTail.MeasureChild(int.Parse(args[1], CultureInfo.InvariantCulture));
}

if (args.Length > 0 && args[0] == ProcessPoolBenchmarks.StartupChild)
{
    return ProcessPoolBenchmarks.MeasureStartup();
}

int runs = Option("--runs", 5);
var chosen = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal) && !int.TryParse(a, out _)).ToHashSet();
bool All(string name) => chosen.Count == 0 || chosen.Contains(name);

Console.WriteLine($"# Benchmarks, {Environment.ProcessorCount} cores, .NET {Environment.Version}, {DateTime.UtcNow:yyyy-MM-dd}");
Console.WriteLine();
if (All("threadpool"))
{
    ThreadPoolThroughput.Run(Option("--tasks", 200_000), runs);
}

if (All("processpool"))
{
    ProcessPoolBenchmarks.Run(runs, Option("--tasks", 100_000), Option("--items", 1_000_000), Option("--calls", 2000));
}

if (All("seed-primes"))
{
    SeedPrimes.Run(runs, Option("--rounds", 10));
}

if (All("worker-startup"))
{
    WorkerStartup.Run(runs);
}

// Only when named: it repeats the process pool's figures three times over.
if (chosen.Contains("telemetry-overhead"))
{
    TelemetryOverhead.Run(runs, Option("--tasks", 100_000), Option("--items", 1_000_000));
}

if (All("tail"))
{
    RoundTripTail.Run(Math.Min(runs, 3), Option("--calls", 5000));
}

// Part of processpool; named alone, only it runs.
if (chosen.Contains("primes"))
{
    ProcessPoolBenchmarks.Primes(runs);
}

if (All("cluster"))
{
    ClusterBenchmarks.Run(runs, Option("--tasks", 100_000), Option("--calls", 2000), Option("--items", 1_000_000));
}

if (All("coordinator-cost"))
{
    CoordinatorCost.Run(runs, Option("--tasks", 100_000), Option("--items", 1_000_000), chunkSize: 1000);
}

if (All("async-overhead"))
{
    AsyncOverhead.Run(runs, Option("--tasks", 100_000));
}

if (All("cancel"))
{
    CancelBenchmarks.Run(runs, Option("--tasks", 1_000_000));
}

if (All("queued-memory"))
{
    QueuedMemory.Run(Math.Min(runs, 3), Option("--tasks", 1_000_000));
}

// Slow (it waits out each default timeout), so only when named.
if (chosen.Contains("fault-bounds"))
{
    FaultBounds.Run(runs);
}

if (All("map-memory"))
{
    MapMemory.Run(Option("--items", 10_000_000), bufferSize: 64);
}

return 0;

int Option(string name, int fallback)
{
    int index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
}
