using System.Collections.Concurrent;
using Distributed.Futures;

namespace Distributed.Testing;

/// <summary>
/// An executor written as an author outside this repository would write one: on the public API of
/// Distributed.Futures alone (this assembly sees no internals). Its own threads run the calls;
/// futures complete there, but user callbacks run on a separate delivery thread, the way the
/// network executors keep user code off the threads that read their streams; queued work is
/// finished at process exit. The executor contract suite runs against it.
/// </summary>
public sealed class DedicatedThreadExecutor : Executor
{
    private readonly BlockingCollection<Action> _work = [];
    private readonly ConcurrentDictionary<Future, Action> _queued = new();
    private readonly ThreadPoolExecutor _delivery = new(maxWorkers: 1, threadNamePrefix: "third-party-callbacks");
    private readonly Thread[] _threads;
    private readonly object _lock = new();
    private bool _shutdown;
    private bool _draining;

    /// <param name="threads">How many calls run at once.</param>
    public DedicatedThreadExecutor(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        _threads = new Thread[threads];
        for (int i = 0; i < threads; i++)
        {
            _threads[i] = new Thread(Run) { IsBackground = true, Name = $"third-party-{i}" };
            _threads[i].Start();
        }
    }

    /// <inheritdoc/>
    public override void Shutdown(bool wait = true, bool cancelFutures = false)
    {
        lock (_lock)
        {
            _shutdown = true;
        }

        if (cancelFutures)
        {
            // Calls not yet taken by a thread never run: each is withdrawn here, so its future is
            // canceled, and the thread that takes it later finds that out.
            foreach (var future in _queued.Keys)
            {
                future.TryCancelWithdrawn(RunCallbacks);
            }
        }

        _work.CompleteAdding();
        if (!wait)
        {
            return;
        }

        if (_threads.Contains(Thread.CurrentThread) || _delivery.OwnsCurrentThread)
        {
            throw new InvalidOperationException("Shutdown(wait: true) from one of this executor's own threads would wait for itself.");
        }

        Finish();
    }

    /// <inheritdoc/>
    protected override Future<TResult> SubmitCall<TResult>(ExecutorCall<TResult> executorCall)
    {
        ArgumentNullException.ThrowIfNull(executorCall);
        var future = new Future<TResult>();
        void RunIt()
        {
            _queued.TryRemove(future, out _);
            if (!future.TrySetRunning())
            {
                return;
            }

            if (executorCall.IsCancellationRequested)
            {
                // Its token was canceled before it started: it does not run.
                future.TrySetCanceled(RunCallbacks);
                return;
            }

            TResult result;
            try
            {
                result = executorCall.Invoke();
            }
#pragma warning disable CA1031 // The call's own exception is its outcome.
            catch (OperationCanceledException) when (executorCall.IsCancellationRequested)
            {
                // It gave up because its own token was canceled: its future ends canceled.
                future.TrySetCanceled(RunCallbacks);
                return;
            }
            catch (Exception error)
#pragma warning restore CA1031
            {
                future.TrySetException(error, RunCallbacks);
                return;
            }

            future.TrySetResult(result, RunCallbacks);
        }

        lock (_lock)
        {
            if (_shutdown)
            {
                throw new InvalidOperationException("cannot schedule new futures after shutdown");
            }

            if (!_draining)
            {
                _draining = true;
                DrainAtProcessExit();
            }

            _queued[future] = RunIt;
            _work.Add(RunIt);
        }

        return future;
    }

    /// <inheritdoc/>
    protected override void FinishWorkAtProcessExit()
    {
        _work.CompleteAdding();
        if (!_threads.Contains(Thread.CurrentThread))
        {
            Finish();
        }
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _delivery.Dispose();
        }
    }

    /// <summary>User callbacks go to the delivery thread, never run on a thread that runs calls.</summary>
    private void RunCallbacks(Action callbacks) => _delivery.Submit(callbacks);

    /// <summary>Every taken call has run and every callback has been delivered.</summary>
    private void Finish()
    {
        foreach (var thread in _threads)
        {
            thread.Join();
        }

        _delivery.Shutdown(wait: true);
        StopDrainingAtProcessExit();
    }

    private void Run()
    {
        foreach (var work in _work.GetConsumingEnumerable())
        {
            work();
        }
    }
}
