using System.Diagnostics.CodeAnalysis;
using Distributed.Protocol.V1;
using Grpc.Core;

namespace Distributed.Worker;

/// <summary>
/// The worker's side of its stream: one writer at a time, either the slot that just finished a call
/// (it sends its outcome at once, saving the hand-off to another thread) or the sender loop (which
/// sends what piles up while a write is in progress, and heartbeats while idle).
/// </summary>
[SuppressMessage(
    "Reliability",
    "CA1001:Types that own disposable fields should be disposable",
    Justification = "The semaphore holds no handle unless AvailableWaitHandle is used; a slot may still touch it as the session ends.")]
internal sealed class OutboundStream(IClientStreamWriter<WorkerMessage> stream, Outbox outbox)
{
    // Bounds how long a slot helps send other slots' outcomes before it goes back to its own work.
    private const int MaxMessagesPerSend = 16;

    private readonly SemaphoreSlim _writing = new(1, 1);

    /// <summary>Sends what is pending now, on the calling thread, unless another write is in progress (which takes it along).</summary>
    public void TrySendNow()
    {
        if (_writing.Wait(0))
        {
            Send();
        }
    }

    /// <summary>
    /// Sends what is pending now, on the calling thread, after any write in progress: when it
    /// returns, what was pending has been handed to the stream (or the stream is gone).
    /// </summary>
    public void SendNow()
    {
        _writing.Wait();
        Send();
    }

    /// <summary>Writes what is pending; the caller holds the write lock, which this releases.</summary>
    private void Send()
    {
        try
        {
            // Outcomes leave oldest first, as many as fit a message; a few messages take the caller's along.
            for (int i = 0; i < MaxMessagesPerSend && outbox.Take(heartbeat: false) is { } message; i++)
            {
                stream.WriteAsync(message).GetAwaiter().GetResult();
                if (!outbox.HasOutcomes)
                {
                    break;
                }
            }
        }
        catch (Exception error) when (error is RpcException or InvalidOperationException or IOException or OperationCanceledException)
        {
            // The connection is going; the receiving side notices and ends the session.
        }
        finally
        {
            _writing.Release();
        }
    }

    /// <summary>
    /// Sends whatever the slots leave behind, and a heartbeat after each idle interval, until
    /// <paramref name="stop"/> completes and the outbox is empty.
    /// </summary>
    public async Task RunAsync(TimeSpan heartbeat, Task stop, CancellationToken cancellationToken)
    {
        while (true)
        {
            // Once stopping, empty the outbox without waiting, then leave.
            bool stopping = stop.IsCompleted;
            bool signaled = stopping || await outbox.WaitAsync(heartbeat, cancellationToken).ConfigureAwait(false);
            await _writing.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var message = outbox.Take(heartbeat: !signaled);
                if (message is not null)
                {
                    await stream.WriteAsync(message, cancellationToken).ConfigureAwait(false);
                }
                else if (stopping)
                {
                    return;
                }
            }
            finally
            {
                _writing.Release();
            }
        }
    }
}
