using Distributed.Protocol.V1;

namespace Distributed.Worker;

/// <summary>
/// A unit the coordinator assigned to this worker, and the state of each of its items. An item is
/// started or canceled by one atomic step, so a cancel that succeeds guarantees the item never runs.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage(
    "Reliability",
    "CA1001:Types that own disposable fields should be disposable",
    Justification = "The token source lives only while its item runs: EndToken disposes it when the item ends.")]
internal sealed class WorkUnit
{
    private const int Pending = 0;
    private const int Started = 1;
    private const int Canceled = 2;

    private readonly int[] _states;

    // For a unit that confirms starts: the last item the coordinator recorded as started.
    private readonly object _confirmations = new();
    private int _confirmedThrough = -1;

    // For a function that takes a CancellationToken: the running item's token and the items whose
    // client canceled theirs. Items of a unit run one after another, so one source at a time.
    private readonly object _tokens = new();
    private CancellationTokenSource? _running;
    private int _runningIndex = -1;
    private HashSet<int>? _tokenCanceled;

    public WorkUnit(CallUnit message)
    {
        Message = message;
        _states = new int[message.Count];
        foreach (uint index in message.Skip)
        {
            if (index < _states.Length)
            {
                _states[index] = Canceled;
            }
        }
    }

    public CallUnit Message { get; }

    public ulong Id => Message.UnitId;

    public int Count => _states.Length;

    /// <summary>Claims the item for running; false if it was canceled.</summary>
    public bool TryStart(int index) => Interlocked.CompareExchange(ref _states[index], Started, Pending) == Pending;

    /// <summary>The coordinator recorded the item's start: it may run.</summary>
    public void ConfirmStart(uint index)
    {
        lock (_confirmations)
        {
            _confirmedThrough = Math.Max(_confirmedThrough, (int)index);
            Monitor.PulseAll(_confirmations);
        }
    }

    /// <summary>Waits until the coordinator recorded the item's start; false if the session ended first.</summary>
    public bool WaitForStart(int index, CancellationToken sessionEnded)
    {
        using var wake = sessionEnded.Register(() =>
        {
            lock (_confirmations)
            {
                Monitor.PulseAll(_confirmations);
            }
        });
        lock (_confirmations)
        {
            while (_confirmedThrough < index)
            {
                if (sessionEnded.IsCancellationRequested)
                {
                    return false;
                }

                Monitor.Wait(_confirmations);
            }

            return true;
        }
    }

    /// <summary>
    /// The token the item's function is given for its CancellationToken parameters, made as the item
    /// starts and signaled when its client's token is canceled later. False, and no token, if that
    /// was canceled already: the item does not run. <see cref="EndToken"/> once the item has run.
    /// </summary>
    public bool TryStartToken(int index, out CancellationToken token)
    {
        lock (_tokens)
        {
            if (_tokenCanceled?.Contains(index) == true)
            {
                token = default;
                return false;
            }

            _running = new CancellationTokenSource();
            _runningIndex = index;
            token = _running.Token;
            return true;
        }
    }

    /// <summary>The item has run: its token is no longer signaled.</summary>
    public void EndToken()
    {
        lock (_tokens)
        {
            _running?.Dispose();
            _running = null;
            _runningIndex = -1;
        }
    }

    /// <summary>
    /// The item's CancellationToken was canceled in its client: the running item's token is
    /// signaled (its callbacks run on the thread pool, not on the stream's reader), and an item
    /// that has not started will not run.
    /// </summary>
    public void CancelToken(uint index)
    {
        lock (_tokens)
        {
            (_tokenCanceled ??= []).Add((int)index);
            if (_runningIndex == (int)index)
            {
                // Under the lock, so EndToken cannot dispose it meanwhile; CancelAsync returns at once.
                _ = _running!.CancelAsync();
            }
        }
    }

    /// <summary>The item ran past its timeout: its token, if it is the one running, is signaled (it keeps running otherwise).</summary>
    public void SignalRunningToken(int index)
    {
        lock (_tokens)
        {
            if (_runningIndex == index)
            {
                _ = _running!.CancelAsync();
            }
        }
    }

    /// <summary>Cancels the item if it has not started; false if it started (or the index is out of range).</summary>
    public bool TryCancel(uint index) =>
        index < _states.Length && Interlocked.CompareExchange(ref _states[index], Canceled, Pending) is Pending or Canceled;
}
