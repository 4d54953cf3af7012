using System.Diagnostics.CodeAnalysis;

namespace Distributed.Futures.Internal;

/// <summary>
/// Collects futures as they become done, for one AsCompleted iteration to take in completion order
/// (CPython's <c>_AsCompletedWaiter</c>). Serves both the blocking and the asynchronous iteration.
/// </summary>
internal sealed class AsCompletedWaiter : FutureWaiter
{
    private readonly Queue<Future> _done = new();

    // Set while an asynchronous taker waits for the next arrival.
    private TaskCompletionSource? _arrival;
    private int _blockedTakers;

    public override void OnFutureDone(Future future)
    {
        TaskCompletionSource? arrival;
        lock (_done)
        {
            _done.Enqueue(future);
            arrival = _arrival;
            _arrival = null;
            if (_blockedTakers > 0)
            {
                Monitor.Pulse(_done);
            }
        }

        arrival?.TrySetResult();
    }

    /// <summary>Forgets futures that arrived but were never taken: the iteration has ended.</summary>
    public void Clear()
    {
        lock (_done)
        {
            _done.Clear();
        }
    }

    /// <summary>Takes the next done future, blocking until one arrives or the deadline passes.</summary>
    public bool TryTake(Deadline deadline, [NotNullWhen(true)] out Future? future)
    {
        lock (_done)
        {
            while (!_done.TryDequeue(out future))
            {
                int milliseconds = deadline.RemainingMilliseconds;
                if (milliseconds == 0)
                {
                    return false;
                }

                _blockedTakers++;
                try
                {
                    Monitor.Wait(_done, milliseconds);
                }
                finally
                {
                    _blockedTakers--;
                }
            }

            return true;
        }
    }

    /// <summary>Takes the next done future without blocking a thread.</summary>
    public async ValueTask<Future> TakeAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task arrival;
            lock (_done)
            {
                if (_done.TryDequeue(out var future))
                {
                    return future;
                }

                _arrival ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                arrival = _arrival.Task;
            }

            await arrival.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
