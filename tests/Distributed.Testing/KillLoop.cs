namespace Distributed.Testing;

/// <summary>
/// Kills a random process among those <c>candidates</c> returns, every interval, on a thread of its
/// own, until stopped: the churn a pool must heal through. The candidates are looked up afresh each
/// time, so a replacement that has not registered yet is as likely a victim as a worker that has
/// served for a while.
/// </summary>
public sealed class KillLoop : IDisposable
{
    private readonly Func<IReadOnlyList<int>> _candidates;
    private readonly TimeSpan _interval;
    private readonly Random _random;
    private readonly ManualResetEventSlim _stop = new();
    private readonly Thread _thread;
    private readonly List<int> _killed = [];

    public KillLoop(Func<IReadOnlyList<int>> candidates, TimeSpan interval, int seed)
    {
        _candidates = candidates;
        _interval = interval;
        _random = new Random(seed);
        _thread = new Thread(Run) { IsBackground = true, Name = "kill-loop" };
        _thread.Start();
    }

    /// <summary>The processes killed so far.</summary>
    public IReadOnlyList<int> Killed
    {
        get
        {
            lock (_killed)
            {
                return [.. _killed];
            }
        }
    }

    /// <summary>Stops killing and waits for the loop to end.</summary>
    public void Stop()
    {
        _stop.Set();
        _thread.Join(TestTimeouts.Default);
    }

    public void Dispose()
    {
        Stop();
        _stop.Dispose();
    }

    private void Run()
    {
        while (!_stop.Wait(_interval))
        {
            var candidates = _candidates();
            if (candidates.Count == 0)
            {
                continue;
            }

            int victim = candidates[_random.Next(candidates.Count)];
            ProcessTable.Signal(victim, "KILL");
            lock (_killed)
            {
                _killed.Add(victim);
            }
        }
    }
}
