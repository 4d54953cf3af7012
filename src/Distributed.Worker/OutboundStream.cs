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
    private readonly SemaphoreSlim _writing = new(1, 1);

    /// <summary>Sends what is pending now, on the calling thread, unless another write is in progress.</summary>
    public void TrySendNow()
    {
        if (!_writing.Wait(0))
        {
            return;
        }

        try
        {
            if (outbox.Take(heartbeat: false) is { } message)
            {
                stream.WriteAsync(message).GetAwaiter().GetResult();
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
