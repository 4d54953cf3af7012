namespace Distributed.Futures;

public sealed partial class ThreadPoolExecutor
{
    /// <summary>Work a worker thread takes from the queue.</summary>
    private interface IWorkItem
    {
        /// <summary>Moves the future to Running; false if it was canceled (or completed by hand).</summary>
        bool TryStart();

        /// <summary>Runs the call and keeps its outcome, without publishing it yet.</summary>
        void Invoke();

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
        // arguments do not live as long as the future.
        private ExecutorCall<TResult>? _call = call;
        private TResult _outcome = default!;
        private Exception? _failure;

        public bool TryStart()
        {
            if (TrySetRunning())
            {
                return true;
            }

            _call = null;
            return false;
        }

        public void Invoke()
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

        public void Publish()
        {
            if (_failure is { } failure)
            {
                _failure = null;
                TrySetException(failure);
            }
            else
            {
                var outcome = _outcome;
                _outcome = default!;
                TrySetResult(outcome);
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

        private void InvokeCall()
        {
            var call = _call!;
            _call = null;
            try
            {
                _outcome = call.Invoke();
            }
#pragma warning disable CA1031 // The call's exception is its outcome, delivered through the future.
            catch (Exception error)
#pragma warning restore CA1031
            {
                _failure = error;
            }
        }
    }
}
