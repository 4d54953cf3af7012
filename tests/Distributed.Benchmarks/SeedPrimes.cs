using System.Diagnostics;
using System.Globalization;
using Distributed.Futures;

namespace Distributed.Benchmarks;

/// <summary>
/// The seed's CPU-bound claim on the seed's own example: the concurrent.futures docs' is_prime
/// over the docs' PRIMES list (and that list ×8, 48 numbers), serially, on a ThreadPoolExecutor(2),
/// and on a ProcessPoolExecutor(2) that has just started and run one warm-up call, as a user
/// running the example once would see it. Each run is a fresh process, ours and Python's alike.
/// Per round it also reports the client's CPU beside the workers': on 2 cores every millisecond the
/// client spends is taken from a worker.
/// </summary>
public static class SeedPrimes
{
    public const string ChildCommand = "seed-primes-child";
    private const int Workers = 2;

    /// <summary>The list of the concurrent.futures documentation's ProcessPoolExecutor example.</summary>
    private static readonly long[] s_docsPrimes =
        [112272535095293, 112582705942171, 112272535095293, 115280095190773, 115797848077099, 1099726899285419];

    /// <summary>The docs' is_prime, line for line: trial division by the odd numbers up to √n.</summary>
    public static bool IsPrime(long n)
    {
        if (n < 2)
        {
            return false;
        }

        if (n == 2)
        {
            return true;
        }

        if (n % 2 == 0)
        {
            return false;
        }

        long sqrtN = (long)Math.Floor(Math.Sqrt(n));
        for (long i = 3; i <= sqrtN; i += 2)
        {
            if (n % i == 0)
            {
                return false;
            }
        }

        return true;
    }

    public static int NoOp() => 0;

    public static void Run(int runs, int rounds)
    {
        foreach (int repeat in new[] { 1, 8 })
        {
            var serial = new Measurement("serial", "s");
            var threads = new Measurement("threads", "x");
            var perRound = Enumerable.Range(0, rounds).Select(_ => (SpeedUp: new Measurement("speed-up", "x"), ClientShare: new Measurement("client/workers", "%"))).ToArray();
            var python = new Measurement("python", "x");
            for (int run = 0; run < runs; run++)
            {
                var child = Child.Parse(SelfProcess.Run(ChildCommand, $"{repeat}", $"{rounds}"));
                serial.Add(child.Serial);
                threads.Add(child.Serial / child.Threads);
                for (int round = 0; round < rounds; round++)
                {
                    perRound[round].SpeedUp.Add(child.Serial / child.Rounds[round].Wall);
                    perRound[round].ClientShare.Add(100 * child.Rounds[round].ClientCpu / Math.Max(child.Rounds[round].WorkersCpu, 1e-3));
                }

                // Python's ×8 list takes a minute a run: its figure is the docs' list only.
                if (repeat == 1)
                {
                    var times = PythonBaseline.RunText("seed_primes.py", "--repeat", "1", "--rounds", "1").Split(' ').Select(t => double.Parse(t, CultureInfo.InvariantCulture)).ToArray();
                    python.Add(times[0] / times[1]);
                }
            }

            Console.WriteLine($"## The docs' is_prime over {s_docsPrimes.Length * repeat} numbers, 2 workers ({runs} runs, medians; serial {serial.Median:F2} s)");
            Console.WriteLine($"{"thread pool speed-up over serial",-52} {threads.Median,8:F2}x");
            if (repeat == 1)
            {
                Console.WriteLine($"{"Python's process pool, first round after warm-up",-52} {python.Median,8:F2}x");
            }

            for (int round = 0; round < rounds; round++)
            {
                Console.WriteLine($"{$"process pool round {round + 1}: speed-up, client CPU / workers CPU",-52} {perRound[round].SpeedUp.Median,8:F2}x  {perRound[round].ClientShare.Median,6:F1} %");
            }

            Console.WriteLine($"targets (issue floors, not checked here): round 1 at least Python's ({(repeat == 1 ? $"{python.Median:F2}x" : "docs' list only")}){(repeat == 8 ? ", at least 1.8x" : "")}; client under 5 % of the workers' CPU every round");
            Console.WriteLine();
        }
    }

    /// <summary>Child mode: serial, threads, then a new pool, one warm-up call and the timed rounds.</summary>
    public static int MeasureChild(int repeat, int rounds)
    {
        var numbers = Enumerable.Repeat(s_docsPrimes, repeat).SelectMany(list => list).ToArray();
        _ = numbers.Take(1).Select(IsPrime).ToList();
        var watch = Stopwatch.StartNew();
        var expected = numbers.Select(IsPrime).ToList();
        double serial = watch.Elapsed.TotalSeconds;

        double threads;
        using (var threadPool = new ThreadPoolExecutor(Workers))
        {
            watch.Restart();
            Check(threadPool.Map(IsPrime, numbers).ToList(), expected);
            threads = watch.Elapsed.TotalSeconds;
        }

        var line = new List<string> { F(serial), F(threads) };
        using var pool = new ProcessPoolExecutor(Workers);
        pool.Submit(NoOp).Result();
        var workers = pool.WorkerProcessIds.Select(Process.GetProcessById).ToList();
        for (int round = 0; round < rounds; round++)
        {
            var (client, workersCpu) = CpuTimes(workers);
            watch.Restart();
            Check(pool.Map(IsPrime, numbers).ToList(), expected);
            double wall = watch.Elapsed.TotalSeconds;
            var (clientAfter, workersAfter) = CpuTimes(workers);
            line.Add($"{F(wall)}:{F((clientAfter - client).TotalSeconds)}:{F((workersAfter - workersCpu).TotalSeconds)}");
        }

        Console.WriteLine(string.Join(' ', line));
        return 0;
    }

    private static (TimeSpan Client, TimeSpan Workers) CpuTimes(List<Process> workers)
    {
        workers.ForEach(w => w.Refresh());
        return (Process.GetCurrentProcess().TotalProcessorTime, TimeSpan.FromTicks(workers.Sum(w => w.TotalProcessorTime.Ticks)));
    }

    private static void Check(List<bool> results, List<bool> expected)
    {
        if (!results.SequenceEqual(expected))
        {
            throw new InvalidOperationException("the pool's is_prime answers differ from the serial ones");
        }
    }

    private static string F(double value) => value.ToString("F6", CultureInfo.InvariantCulture);

    private sealed record Round(double Wall, double ClientCpu, double WorkersCpu);

    private sealed record Child(double Serial, double Threads, Round[] Rounds)
    {
        public static Child Parse(string line)
        {
            var parts = line.Split(' ');
            double N(string text) => double.Parse(text, CultureInfo.InvariantCulture);
            var rounds = parts[2..].Select(part => part.Split(':')).Select(p => new Round(N(p[0]), N(p[1]), N(p[2]))).ToArray();
            return new Child(N(parts[0]), N(parts[1]), rounds);
        }
    }
}
