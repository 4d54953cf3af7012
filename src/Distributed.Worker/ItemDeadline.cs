namespace Distributed.Worker;

/// <summary>
/// The timeout of one item's run (TaskOptions.Timeout): at the deadline the item's token is
/// signaled and its outcome becomes the timeout, whatever it returns; if it still runs a grace
/// later, nothing inside the process can stop it, and the worker is recycled (see
/// <see cref="ItemTimeouts"/>).
/// </summary>
internal sealed class ItemDeadline : IDisposable
{
    private const int Running = 0;
    private const int TimedOut = 1;
    private const int Ended = 2;
    private const int Recycling = 3;

    private readonly WorkUnit _unit;
    private readonly int _index;
    private readonly TimeSpan _grace;
    private readonly Action<WorkUnit, int> _recycle;
    private readonly ITimer _timer;
    private int _state;

    public ItemDeadline(WorkUnit unit, int index, TimeSpan limit, TimeSpan grace, TimeProvider time, Action<WorkUnit, int> recycle)
    {
        _unit = unit;
        _index = index;
        _grace = grace;
        _recycle = recycle;
        _timer = time.CreateTimer(static state => ((ItemDeadline)state!).Fire(), this, limit, Timeout.InfiniteTimeSpan);
    }

    /// <summary>The run ended. True if it ended after its deadline: its outcome is the timeout.</summary>
    public bool End()
    {
        _timer.Dispose();
        int state = Interlocked.CompareExchange(ref _state, Ended, Running);
        if (state == TimedOut)
        {
            Interlocked.CompareExchange(ref _state, Ended, TimedOut);
        }

        return state != Running;
    }

    public void Dispose() => End();

    private void Fire()
    {
        if (Interlocked.CompareExchange(ref _state, TimedOut, Running) == Running)
        {
            _unit.SignalRunningToken(_index);
            _timer.Change(_grace, Timeout.InfiniteTimeSpan);
        }
        else if (Interlocked.CompareExchange(ref _state, Recycling, TimedOut) == TimedOut)
        {
            _recycle(_unit, _index);
        }
    }
}
