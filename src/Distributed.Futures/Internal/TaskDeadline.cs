namespace Distributed.Futures.Internal;

/// <summary>
/// A thread-pool task's timeout (<see cref="TaskOptions.Timeout"/>) for one run: at the deadline
/// its future fails with <see cref="TimeoutException"/>, and then the token the task was given,
/// which also follows the caller's tokens, is signaled. The thread is left to finish the call.
/// </summary>
internal sealed class TaskDeadline : IDisposable
{
    private readonly Future _future;
    private readonly string _message;
    private readonly CancellationTokenSource? _tokens;
    private readonly ITimer _timer;
    private int _state; // 0 running, 1 timed out, 2 ended first

    private TaskDeadline(Future future, TimeSpan limit, string function, CancellationTokenSource? tokens, TimeProvider time)
    {
        _future = future;
        _message = TaskOptions.TimeoutMessage(limit, function);
        _tokens = tokens;
        _timer = time.CreateTimer(static state => ((TaskDeadline)state!).Fire(), this, limit, Timeout.InfiniteTimeSpan);
    }

    /// <summary>True once the deadline passed before the run ended: its outcome is the timeout.</summary>
    public bool TimedOut => Volatile.Read(ref _state) == 1;

    /// <summary>Starts the clock for one run of <paramref name="call"/>; the call's tokens are replaced by one the deadline signals too.</summary>
    public static TaskDeadline Start<TResult>(ExecutorCall<TResult> call, TimeSpan limit, Future future, TimeProvider time)
    {
        CancellationTokenSource? tokens = null;
        if (call.TakesCancellationToken)
        {
            tokens = CancellationTokenSource.CreateLinkedTokenSource([.. call.CancellationTokens]);
            call.ReplaceCancellationTokens(tokens.Token);
        }

        return new TaskDeadline(future, limit, call.Function.Method.Name, tokens, time);
    }

    /// <summary>The run ended: the clock stops (its token is let go once the call no longer runs).</summary>
    public void Dispose()
    {
        Interlocked.CompareExchange(ref _state, 2, 0);
        _timer.Dispose();
        _tokens?.Dispose();
    }

    private void Fire()
    {
        if (Interlocked.CompareExchange(ref _state, 1, 0) != 0)
        {
            return;
        }

        // The future first: a task that gives up for its token then finds it timed out, not canceled.
        _future.TrySetException(new TimeoutException(_message));
        try
        {
            _tokens?.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The run ended meanwhile.
        }
#pragma warning disable CA1031 // A callback on the task's token threw: the task's own business, reported through it.
        catch (AggregateException)
#pragma warning restore CA1031
        {
        }
    }
}
