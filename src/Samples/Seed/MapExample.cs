using Distributed.Futures;

namespace Distributed.Samples.Seed;

/// <summary>Seed §3: <c>results = executor.map(multiplyByTwo, values)</c>, then print each result.</summary>
public static class MapExample
{
    private static readonly int[] s_values = [2, 3, 4, 5];

    public static int MultiplyByTwo(int n) => 2 * n;

    public static void Run()
    {
        IEnumerable<int> results;
        using (var executor = new ThreadPoolExecutor(maxWorkers: 3))
        {
            results = executor.Map(MultiplyByTwo, s_values);
        }

        // Results come back in input order, whichever task finished first.
        foreach (int result in results)
        {
            Console.WriteLine(result);
        }
    }
}
