using System.Diagnostics;
using System.Globalization;
using Distributed.Futures;

namespace Distributed.Benchmarks;

/// <summary>
/// <c>Map</c> over a long input with a small <c>bufferSize</c>: memory must stay bounded by the buffer,
/// not grow with the input. Runs in a child process so its peak working set is its own.
/// </summary>
public static class MapMemory
{
    public const string ChildCommand = "map-memory-child";
    private const long LimitBytes = 100L * 1024 * 1024;

    public static void Run(int items, int bufferSize)
    {
        var figures = SelfProcess.Run(ChildCommand, items.ToString(CultureInfo.InvariantCulture), bufferSize.ToString(CultureInfo.InvariantCulture)).Split(' ');
        long peak = long.Parse(figures[0], CultureInfo.InvariantCulture);
        double seconds = double.Parse(figures[1], CultureInfo.InvariantCulture);

        Console.WriteLine($"## Map over {items:N0} items, bufferSize: {bufferSize}, ThreadPoolExecutor(2)");
        Console.WriteLine($"peak working set {peak / 1024.0 / 1024.0:F1} MB (limit {LimitBytes / 1024 / 1024} MB): {(peak < LimitBytes ? "within" : "OVER")}");
        Console.WriteLine($"throughput       {items / seconds:N0} items/s ({seconds:F1} s)");
        Console.WriteLine();
    }

    public static int Child(int items, int bufferSize)
    {
        var watch = Stopwatch.StartNew();
        long sum = 0;
        using (var executor = new ThreadPoolExecutor(2))
        {
            foreach (int value in executor.Map(Identity, Enumerable.Range(0, items), bufferSize: bufferSize))
            {
                sum += value;
            }
        }

        long expected = (long)items * (items - 1) / 2;
        if (sum != expected)
        {
            Console.Error.WriteLine($"wrong sum {sum}, expected {expected}");
            return 1;
        }

        using var self = Process.GetCurrentProcess();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{self.PeakWorkingSet64} {watch.Elapsed.TotalSeconds}"));
        return 0;
    }

    public static int Identity(int value) => value;
}
