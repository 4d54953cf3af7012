using System.Diagnostics;
using Distributed.Coordinator.Supervision;
using Distributed.Testing;

namespace Distributed.Benchmarks;

/// <summary>
/// A standalone worker's start-up: from starting the process to the coordinator's "registered"
/// line for it (the moment it can be given work), and to the worker's own, against a coordinator
/// already listening (no local workers of its own). Two builds of the same program:
/// the worker as pools ship it (distributed-worker/, published ReadyToRun, started as a pool starts
/// it: without tiered compilation where the precompiled code fits) and the plain build the worker
/// tool is packed from, both run on the dotnet host. Beside it, a process that starts the
/// runtime, parses its arguments and exits (worker --version): the floor under both.
/// </summary>
public static class WorkerStartup
{
    public static void Run(int runs)
    {
        var shipped = new Measurement("pool's worker", "ms");
        var shippedLogged = new Measurement("pool's worker, own line", "ms");
        var plain = new Measurement("tool build", "ms");
        var floor = new Measurement("runtime", "ms");
        using (var coordinator = ProgramProcess.StartCoordinator([], out string address))
        {
            for (int run = 0; run < runs; run++)
            {
                var (admitted, logged) = ToRegistration(coordinator, s_shipped, address, $"shipped-{run}", AsPoolsStartIt());
                shipped.Add(admitted);
                shippedLogged.Add(logged);
                plain.Add(ToRegistration(coordinator, "worker.dll", address, $"tool-{run}", null).Admitted);
                floor.Add(RuntimeOnly());
            }
        }

        Console.WriteLine($"## Standalone worker, process start to the coordinator's \"registered\" line ({runs} runs, medians)");
        Console.WriteLine($"{"worker as pools ship and start it (ReadyToRun, no tiers)",-52} {shipped.Median,8:F0} ms  (min {shipped.Min:F0}, max {shipped.Max:F0})");
        Console.WriteLine($"{"  the same, to the worker's own \"registered\" line",-52} {shippedLogged.Median,8:F0} ms  (min {shippedLogged.Min:F0}, max {shippedLogged.Max:F0})");
        Console.WriteLine($"{"worker tool build (compiled at start)",-52} {plain.Median,8:F0} ms  (min {plain.Min:F0}, max {plain.Max:F0})");
        Console.WriteLine($"{"worker --version (start, parse, exit)",-52} {floor.Median,8:F0} ms");
        Console.WriteLine();
    }

    private static readonly string s_shipped = Path.Combine("distributed-worker", "worker.dll");

    // The environment a pool gives the worker, from the pool's own rule rather than a copy of it.
    private static Dictionary<string, string> AsPoolsStartIt()
    {
        var start = new ProcessStartInfo();
        PrecompiledWorker.Tune(start, Path.Combine(AppContext.BaseDirectory, s_shipped));
        return start.Environment.Where(variable => variable.Key == "DOTNET_TieredCompilation" && variable.Value is not null)
            .ToDictionary(variable => variable.Key, variable => variable.Value!);
    }

    // The coordinator's line comes first: the worker writes its own once welcomed, after building its log.
    private static (double Admitted, double Logged) ToRegistration(ProgramProcess coordinator, string program, string address, string workerId, IReadOnlyDictionary<string, string>? environment)
    {
        var watch = Stopwatch.StartNew();
        using var worker = ProgramProcess.Start(program, ["--coordinator", address, "--worker-id", workerId, "--slots", "1"], environment);
        coordinator.WaitForLine($"Worker {workerId} (");
        double admitted = watch.Elapsed.TotalMilliseconds;
        worker.WaitForLine("registered with");
        double logged = watch.Elapsed.TotalMilliseconds;
        worker.Kill();
        return (admitted, logged);
    }

    private static double RuntimeOnly()
    {
        var watch = Stopwatch.StartNew();
        using var process = ProgramProcess.Start("worker.dll", ["--version"]);
        process.WaitForExit();
        return watch.Elapsed.TotalMilliseconds;
    }
}
