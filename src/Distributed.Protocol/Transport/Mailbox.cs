using System.Diagnostics.CodeAnalysis;

namespace Distributed.Protocol;

/// <summary>
/// Messages for one stream, coalesced: whatever is posted while the previous message is being
/// written goes out together in the next one. A single writer loop takes from it, because a gRPC
/// stream allows one write at a time.
/// </summary>
[SuppressMessage(
    "Reliability",
    "CA1001:Types that own disposable fields should be disposable",
    Justification = "The semaphore holds no handle unless AvailableWaitHandle is used; disposing it while the engine may still post would turn a late post into a crash.")]
internal sealed class Mailbox<TMessage>
    where TMessage : class, new()
{
    private readonly object _lock = new();
    private readonly SemaphoreSlim _ready = new(0);
    private TMessage? _pending;
    private bool _signaled;

    /// <summary>Adds to the next message.</summary>
    public void Post(Action<TMessage> fill)
    {
        bool signal;
        lock (_lock)
        {
            fill(_pending ??= new TMessage());
            signal = !_signaled;
            _signaled = true;
        }

        if (signal)
        {
            _ready.Release();
        }
    }

    /// <summary>Waits for the next message and takes it; null if nothing came within <paramref name="idle"/>.</summary>
    public async Task<TMessage?> TakeAsync(TimeSpan idle, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (!await _ready.WaitAsync(idle, cancellationToken).ConfigureAwait(false))
            {
                return null;
            }

            lock (_lock)
            {
                _signaled = false;
                if (_pending is { } message)
                {
                    _pending = null;
                    return message;
                }
            }
        }
    }
}
