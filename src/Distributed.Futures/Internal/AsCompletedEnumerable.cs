using System.Collections;

namespace Distributed.Futures.Internal;

/// <summary>
/// The blocking AsCompleted sequence. Hand-written rather than an iterator method so that the
/// enumerator drops its reference to the caller's input once it has taken the snapshot.
/// </summary>
internal sealed class AsCompletedEnumerable<TFuture>(IEnumerable<TFuture> futures, TimeSpan? timeout) : IEnumerable<TFuture>
    where TFuture : Future
{
    public IEnumerator<TFuture> GetEnumerator() => new Enumerator(futures, timeout);

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private sealed class Enumerator(IEnumerable<TFuture> futures, TimeSpan? timeout) : IEnumerator<TFuture>
    {
        private IEnumerable<TFuture>? _source = futures;
        private AsCompletedState<TFuture>? _state;
        private Deadline _deadline;
        private TFuture? _current;
        private bool _ended;

        public TFuture Current => _current ?? throw new InvalidOperationException("Enumeration has not started or has ended.");

        object IEnumerator.Current => Current;

        public bool MoveNext()
        {
            _current = null;
            if (_ended)
            {
                return false;
            }

            if (_state is null)
            {
                // The timeout counts from the first MoveNext, as Python's generator starts its clock.
                _deadline = Deadline.After(timeout);
                _state = AsCompletedState<TFuture>.Start(_source!);
                _source = null;
            }

            if (_state.TryTakeDoneAtStart(out _current))
            {
                return true;
            }

            if (_state.PendingCount == 0)
            {
                Dispose();
                return false;
            }

            if (_state.TryTakeNext(_deadline, out _current))
            {
                return true;
            }

            var timedOut = _state.NewTimeout();
            Dispose();
            throw timedOut;
        }

        public void Reset() => throw new NotSupportedException();

        public void Dispose()
        {
            _ended = true;
            _source = null;
            _state?.Stop();
        }
    }
}
