namespace Distributed.Samples.Seed;

/// <summary>
/// The seed's CPU-bound work: checking numbers for primality with the sieve of Eratosthenes. A
/// segmented sieve counts the primes in one range; ranges are independent, so they can be spread
/// over threads or processes. Public and static, so a worker process can find it by name.
/// </summary>
public static class Primes
{
    /// <summary>Counts the primes in [<paramref name="start"/>, <paramref name="end"/>).</summary>
    public static long CountInRange(long start, long end)
    {
        if (end <= 2 || end <= start)
        {
            return 0;
        }

        start = Math.Max(start, 2);
        var basePrimes = SmallPrimesUpTo((long)Math.Sqrt(end) + 1);

        // Sieve the segment in blocks that stay in cache; composite[i] stands for block start + i.
        const int BlockSize = 1 << 18;
        var composite = new bool[BlockSize];
        long count = 0;
        for (long low = start; low < end; low += BlockSize)
        {
            long high = Math.Min(low + BlockSize, end);
            Array.Clear(composite);
            foreach (int prime in basePrimes)
            {
                long p = prime;
                if (p * p >= high)
                {
                    break;
                }

                long first = Math.Max(p * p, (low + p - 1) / p * p);
                for (long multiple = first; multiple < high; multiple += p)
                {
                    composite[multiple - low] = true;
                }
            }

            for (long n = low; n < high; n++)
            {
                if (!composite[n - low])
                {
                    count++;
                }
            }
        }

        return count;
    }

    /// <summary>Whether <paramref name="n"/> is prime, by trial division with sieved primes.</summary>
    public static bool IsPrime(long n)
    {
        if (n < 2)
        {
            return false;
        }

        foreach (int prime in SmallPrimesUpTo((long)Math.Sqrt(n) + 1))
        {
            if ((long)prime * prime > n)
            {
                break;
            }

            if (n % prime == 0)
            {
                return n == prime;
            }
        }

        return true;
    }

    private static List<int> SmallPrimesUpTo(long limit)
    {
        var composite = new bool[limit + 1];
        var primes = new List<int>();
        for (int n = 2; n <= limit; n++)
        {
            if (composite[n])
            {
                continue;
            }

            primes.Add(n);
            for (long multiple = (long)n * n; multiple <= limit; multiple += n)
            {
                composite[multiple] = true;
            }
        }

        return primes;
    }
}
