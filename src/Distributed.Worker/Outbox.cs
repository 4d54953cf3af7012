using System.Diagnostics.CodeAnalysis;
using Distributed.Protocol.V1;

namespace Distributed.Worker;

/// <summary>
/// What the worker has to tell the coordinator, gathered from every slot until the sender takes it
/// all as one message. This coalescing is the batching: while one message is being written, the
/// outcomes of many calls pile up and leave together in the next.
/// </summary>
[SuppressMessage(
    "Reliability",
    "CA1001:Types that own disposable fields should be disposable",
    Justification = "The semaphore holds no handle unless AvailableWaitHandle is used; disposing it while a slot may still signal would turn a late outcome into a crash.")]
internal sealed class Outbox
{
    // Keeps one message well under any sane size limit; the rest goes in the next.
    private const int MaxOutcomesPerMessage = 4096;

    private readonly object _lock = new();
    private readonly SemaphoreSlim _ready = new(0);
    private readonly List<UnitOutcome> _outcomes = [];
    private readonly Dictionary<ulong, uint> _progress = [];
    private readonly List<CancelReply> _cancelReplies = [];
    private InitializerFailed? _initializerFailed;

    // 1 while a signal is pending, so a burst of additions releases the semaphore once.
    private int _signaled;

    public void AddOutcome(UnitOutcome outcome)
    {
        lock (_lock)
        {
            _outcomes.Add(outcome);

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

    /// <summary>Wakes the sender even with nothing new, so it notices it should stop.</summary>
    public void Poke() => Signal();

    /// <summary>Waits until there is something to send or the interval passes.</summary>
    /// <returns>False when the interval passed with nothing to send: time for a heartbeat.</returns>
    public async Task<bool> WaitAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        bool signaled = await _ready.WaitAsync(interval, cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref _signaled, 0);
        return signaled;
    }

    /// <summary>Takes everything pending as one message; null if there is nothing and no heartbeat is due.</summary>
    public WorkerMessage? Take(bool heartbeat)
    {
        lock (_lock)
        {
            bool more = _outcomes.Count > MaxOutcomesPerMessage;
            if (_outcomes.Count == 0 && _progress.Count == 0 && _cancelReplies.Count == 0 && _initializerFailed is null && !heartbeat)
            {
                return null;
            }

            var message = new WorkerMessage { Heartbeat = heartbeat, InitializerFailed = _initializerFailed };
            int taken = Math.Min(_outcomes.Count, MaxOutcomesPerMessage);
            message.Outcomes.AddRange(_outcomes.Take(taken));
            _outcomes.RemoveRange(0, taken);
            message.Progress.AddRange(_progress.Select(p => new UnitProgress { UnitId = p.Key, StartedIndex = p.Value }));
            message.CancelReplies.AddRange(_cancelReplies);
            _progress.Clear();
            _cancelReplies.Clear();
            _initializerFailed = null;
            if (more)
            {
                Signal();
            }

            return message;
        }
    }

    private void Signal()
    {
        if (Interlocked.Exchange(ref _signaled, 1) == 0)
        {
            _ready.Release();
        }
    }
}
