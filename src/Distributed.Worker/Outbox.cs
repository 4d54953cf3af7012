using System.Diagnostics.CodeAnalysis;
using Distributed.Protocol;
using Distributed.Protocol.V1;

namespace Distributed.Worker;

/// <summary>
/// What the worker has to tell the coordinator, gathered from every slot until the sender takes it
/// all as one message. This coalescing is the batching: while one message is being written, the
/// outcomes of many calls pile up and leave together in the next.
/// </summary>
/// <param name="maxMessageBytes">The largest message the stream carries: outcomes are taken up to it.</param>
/// <param name="time">The clock the heartbeat interval is measured on.</param>
[SuppressMessage(
    "Reliability",
    "CA1001:Types that own disposable fields should be disposable",
    Justification = "The semaphore holds no handle unless AvailableWaitHandle is used; disposing it while a slot may still signal would turn a late outcome into a crash.")]
internal sealed class Outbox(int maxMessageBytes, TimeProvider time)
{
    // Keeps one message short enough to apply quickly; the rest goes in the next.
    private const int MaxOutcomesPerMessage = 4096;

    // Memory is for people watching: a busy worker sends many messages a second, and reading its
    // working set for each would cost more than it tells, so it rides along this often at most.
    private static readonly TimeSpan s_memoryPeriod = TimeSpan.FromSeconds(2);

    private readonly object _lock = new();
    private readonly SemaphoreSlim _ready = new(0);
    private readonly List<(UnitOutcome Outcome, int Size)> _outcomes = [];
    private readonly Dictionary<ulong, uint> _progress = [];
    private readonly List<CancelReply> _cancelReplies = [];
    private InitializerFailed? _initializerFailed;
    private Recycling? _recycling;
    private bool _leaving;
    private long _memorySentAt;
    private bool _memorySent;

    // 1 while a signal is pending, so a burst of additions releases the semaphore once.
    private int _signaled;

    /// <summary>True while outcomes wait to be sent.</summary>
    public bool HasOutcomes
    {
        get
        {
            lock (_lock)
            {
                return _outcomes.Count > 0;
            }
        }
    }

    /// <param name="outcome">An outcome that fits a message by itself (see <see cref="OutcomeFitting"/>).</param>
    /// <param name="size">Its encoded size.</param>
    public void AddOutcome(UnitOutcome outcome, int size)
    {
        lock (_lock)
        {
            _outcomes.Add((outcome, size));

            // An outcome says everything progress would have.
            _progress.Remove(outcome.UnitId);
        }

        Signal();
    }

    /// <summary>Records that an item started. Only a unit's first item asks for a message of its own;
    /// later progress rides along with the next message or heartbeat.</summary>
    public void ReportProgress(ulong unitId, int index)
    {
        lock (_lock)
        {
            _progress[unitId] = (uint)index;
        }

        if (index == 0)
        {
            Signal();
        }
    }

    public void AddCancelReply(CancelReply reply)
    {
        lock (_lock)
        {
            _cancelReplies.Add(reply);
        }

        Signal();
    }

    public void SetInitializerFailed(InitializerFailed failure)
    {
        lock (_lock)
        {
            _initializerFailed = failure;
        }

        Signal();
    }

    /// <summary>The worker is ending itself (see <see cref="Recycling"/>): the last thing it says.</summary>
    public void SetRecycling(Recycling recycling)
    {
        lock (_lock)
        {
            _recycling = recycling;
        }

        Signal();
    }

    /// <summary>The worker wants to leave (its host is stopping): the coordinator is asked to drain it.</summary>
    public void SetLeaving()
    {
        lock (_lock)
        {
            _leaving = true;
        }

        Signal();
    }

    /// <summary>Wakes the sender even with nothing new, so it notices it should stop.</summary>
    public void Poke() => Signal();

    /// <summary>Waits until there is something to send or the interval passes.</summary>
    /// <returns>False when the interval passed with nothing to send: time for a heartbeat.</returns>
    public async Task<bool> WaitAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        // Busy, the common case: something is there already, and no timer is made.
        bool signaled = _ready.Wait(0, CancellationToken.None) || await WaitOnClockAsync(interval, cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref _signaled, 0);
        return signaled;
    }

    private async Task<bool> WaitOnClockAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        if (time == TimeProvider.System)
        {
            return await _ready.WaitAsync(interval, cancellationToken).ConfigureAwait(false);
        }

        // Another clock: the interval is a cancellation on it (a timed-out wait takes no later signal).
        using var elapsed = new CancellationTokenSource(interval, time);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, elapsed.Token);
        try
        {
            await _ready.WaitAsync(either.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>Takes everything pending as one message; null if there is nothing and no heartbeat is due.</summary>
    public WorkerMessage? Take(bool heartbeat)
    {
        lock (_lock)
        {
            if (_outcomes.Count == 0 && _progress.Count == 0 && _cancelReplies.Count == 0 && _initializerFailed is null && _recycling is null && !_leaving && !heartbeat)
            {
                return null;
            }

            var message = new WorkerMessage { Heartbeat = heartbeat, InitializerFailed = _initializerFailed, Recycling = _recycling, Leaving = _leaving, Memory = MemoryIfDue() };
            int taken = 0;
            long bytes = ProtocolInfo.MessageOverheadBytes;
            while (taken < _outcomes.Count && taken < MaxOutcomesPerMessage && (taken == 0 || bytes + _outcomes[taken].Size + 8 <= maxMessageBytes))
            {
                bytes += _outcomes[taken].Size + 8;
                message.Outcomes.Add(_outcomes[taken].Outcome);
                taken++;
            }

            bool more = taken < _outcomes.Count;
            _outcomes.RemoveRange(0, taken);
            message.Progress.AddRange(_progress.Select(p => new UnitProgress { UnitId = p.Key, StartedIndex = p.Value }));
            message.CancelReplies.AddRange(_cancelReplies);
            _progress.Clear();
            _cancelReplies.Clear();
            _initializerFailed = null;
            _recycling = null;

            // Said once: the coordinator's drain, which follows, is what the worker waits for.
            _leaving = false;
            if (more)
            {
                Signal();
            }

            return message;
        }
    }

    private MemoryUsage? MemoryIfDue()
    {
        long now = time.GetTimestamp();
        if (_memorySent && time.GetElapsedTime(_memorySentAt, now) < s_memoryPeriod)
        {
            return null;
        }

        _memorySent = true;
        _memorySentAt = now;
        return new MemoryUsage { WorkingSetBytes = (ulong)Environment.WorkingSet, ManagedHeapBytes = (ulong)GC.GetTotalMemory(forceFullCollection: false) };
    }

    private void Signal()
    {
        if (Interlocked.Exchange(ref _signaled, 1) == 0)
        {
            _ready.Release();
        }
    }
}
