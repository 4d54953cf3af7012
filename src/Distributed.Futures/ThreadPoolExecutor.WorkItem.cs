using Distributed.Futures.Internal;

namespace Distributed.Futures;

public sealed partial class ThreadPoolExecutor
{
    /// <summary>Work a worker thread takes from the queue.</summary>
    private interface IWorkItem
    {
        /// <summary>Moves the future to Running; false if it was canceled (or completed by hand).</summary>
        bool TryStart();

        /// <summary>
        /// Runs the call and keeps its outcome, without publishing it yet. An async call that must
        /// wait returns false: it keeps its place in the pool's count of running tasks without its
        /// thread, and publishes itself when its task ends (see <see cref="ThreadPoolExecutor.OnAwaitedDone"/>).
        /// </summary>
        /// <returns>True if the outcome is ready to publish.</returns>
        bool Invoke(ThreadPoolExecutor pool);

        /// <summary>Completes the future with the outcome kept by <see cref="Invoke"/>.</summary>
        void Publish();

        /// <summary>Fails a queued item that will never run.</summary>
        void Fail(Exception error);

        /// <summary>Cancels a queued item that will never run, and drops its call.</summary>
        void Discard();
    }

    /// <summary>The future doubles as the queue entry, so a submit allocates no separate work item.</summary>
    private sealed class WorkItem<TResult>(ExecutorCall<TResult> call) : Future<TResult>, IWorkItem
    {
        private static readonly ContextCallback s_invokeInContext = static state => ((WorkItem<TResult>)state!).InvokeCall();

        // The submitter's context, so the call sees its AsyncLocals as Task.Run would let it.
        private readonly ExecutionContext? _context = ExecutionContext.Capture();

        // Dropped as soon as the call has run (or will never run), so the function and its
        // arguments do not live as long as the future. A call with retries is kept until its last run.
        private ExecutorCall<TResult>? _call = call;
        private TResult _outcome = default!;
        private Exception? _failure;

        // An async call's task, while it has not ended.
        private ValueTask<TResult> _awaited;
        private bool _ready;

        // A call that takes a CancellationToken, kept until its outcome is known: an
        // OperationCanceledException it throws once its token was canceled cancels the future.
        private ExecutorCall<TResult>? _tokenCall;

        // The current run's timeout, if the call has one (TaskOptions.Timeout).
        private TaskDeadline? _deadline;
        private TimeProvider? _time;
        private int _retriesUsed;

        public bool TryStart()
        {
            if (TrySetRunning())
            {
                return true;
            }

            _call = null;
            return false;
        }

        public bool Invoke(ThreadPoolExecutor pool)
        {
            _time = pool.TimeProvider;
            InvokeInContext();
            if (_ready)
            {
                return true;
            }

            // The task resumes without this thread: the rest runs where its awaits resume, and
            // so does the publishing of its outcome.
            pool.OnAwaiting();
            AwaitRun(pool);
            return false;
        }

        public void Publish()
        {
            var tokenCall = _tokenCall;
            _tokenCall = null;
            if (_failure is OperationCanceledException && tokenCall?.IsCancellationRequested == true)
            {
                _failure = null;
                TrySetCanceled();
                ThreadPoolMetrics.Completed("canceled");
            }
            else if (_failure is { } failure)
            {
                _failure = null;
                TrySetException(failure);
                ThreadPoolMetrics.Completed("exception");
            }
            else
            {
                var outcome = _outcome;
                _outcome = default!;
                TrySetResult(outcome);
                ThreadPoolMetrics.Completed("result");
            }
        }

        public void Fail(Exception error)
        {
            _call = null;
            TrySetException(error);
        }

        public void Discard()
        {
            _call = null;
            Cancel();
        }

        private void InvokeInContext()
        {
            // Most submitters carry the default context, which the worker thread already has:
            // entering it again would cost more than the no-op call itself.
            if (_context is null || ReferenceEquals(_context, ExecutionContext.Capture()))
            {
                InvokeCall();
            }
            else
            {
                ExecutionContext.Run(_context, s_invokeInContext, this);
            }
        }

        /// <summary>Waits for the async run to end without a thread, runs it again while it may retry, then publishes.</summary>
        private void AwaitRun(ThreadPoolExecutor pool)
        {
            var awaiter = _awaited.ConfigureAwait(false).GetAwaiter();
            awaiter.UnsafeOnCompleted(() =>
            {
                try
                {
                    _outcome = awaiter.GetResult();
                }
#pragma warning disable CA1031 // The call's exception is its outcome, delivered through the future.
                catch (Exception error)
#pragma warning restore CA1031
                {
                    _failure = error;
                }

                _awaited = default;
                if (EndRun())
                {
                    InvokeInContext();
                    if (!_ready)
                    {
                        AwaitRun(pool);
                        return;
                    }
                }

                pool.OnAwaitedDone(this);
            });
        }

        private void InvokeCall()
        {
            do
            {
                RunOnce();
            }
            while (_ready && EndRun());
        }

        /// <summary>One run of the call, up to its end or (async) its first incomplete await.</summary>
        private void RunOnce()
        {
            var call = _call!;
            var options = call.Options;
            if (options.MaxRetries == 0)
            {
                _call = null;
            }

            _ready = true;
            _outcome = default!;
            _failure = null;
            if (call.TakesCancellationToken)
            {
                _tokenCall = call;
                if (call.IsCancellationRequested)
                {
                    // Canceled before it started: it does not run, and its future ends canceled.
                    _failure = new OperationCanceledException("The task's CancellationToken was canceled before it started.");
                    return;
                }
            }

            if (options.Timeout is { } limit)
            {
                _deadline = TaskDeadline.Start(call, limit, this, _time ?? TimeProvider.System);
            }

            try
            {
                if (!call.IsAsync)
                {
                    _outcome = call.Invoke();
                    return;
                }

                // In the call's own context: its awaits resume in it. The pool is marked there, so
                // the process-exit drain, should the task end the process, does not wait for itself.
                ValueTask<TResult> pending;
                s_awaitingIn.Value = t_currentPool;
                try
                {
                    pending = call.InvokeAsync();
                }
                finally
                {
                    s_awaitingIn.Value = null;
                }

                if (pending.IsCompleted)
                {
                    _outcome = pending.GetAwaiter().GetResult();
                }
                else
                {
                    _awaited = pending;
                    _ready = false;
                }
            }
#pragma warning disable CA1031 // The call's exception is its outcome, delivered through the future.
            catch (Exception error)
#pragma warning restore CA1031
            {
                _failure = error;
            }
        }

        /// <summary>
        /// A run ended: stops its clock, and decides whether to run again, which it does when the
        /// call threw one of its <see cref="TaskOptions.RetryOn"/> types and has retries left (and
        /// neither timed out nor was canceled by its token).
        /// </summary>
        /// <returns>True to run the call again.</returns>
        private bool EndRun()
        {
            bool timedOut = false;
            if (_deadline is { } deadline)
            {
                timedOut = deadline.TimedOut;
                deadline.Dispose();
                _deadline = null;
            }

            var call = _call;
            if (call is null || _failure is not { } failure || timedOut || IsDone)
            {
                _call = null;
                return false;
            }

            bool canceledByToken = failure is OperationCanceledException && call.IsCancellationRequested;
            if (canceledByToken || _retriesUsed >= call.Options.MaxRetries || !call.Options.ShouldRetry(failure))
            {
                _call = null;
                return false;
            }

            _retriesUsed++;
            return true;
        }
    }
}
