using System.Collections;

namespace Distributed.Futures.Internal;

/// <summary>
/// Any sequence followed by <see cref="ProgressExtensions.WithProgress{T}"/>: each enumeration
/// counts an item once the consumer moves past it (asks for the next, or reaches the end), so the
/// work of a <c>foreach</c> body on it is part of it; its total is known up front if the source can
/// say so cheaply.
/// </summary>
internal sealed class ProgressSequence<T>(IEnumerable<T> source, IProgress<BatchProgress> progress, ProgressOptions options) : IEnumerable<T>
{
    public IEnumerator<T> GetEnumerator()
    {
        long? total = source.TryGetNonEnumeratedCount(out int count) ? count : null;
        var reporter = new ProgressReporter(progress, options, waitForFinalDelivery: true);
        return new Enumerator(source.GetEnumerator(), reporter, total);
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private sealed class Enumerator(IEnumerator<T> inner, ProgressReporter reporter, long? total) : IEnumerator<T>
    {
        private long _yielded;
        private bool _started;
        private bool _ended;

        public T Current => inner.Current;

        object? IEnumerator.Current => Current;

        public bool MoveNext()
        {
            if (_ended)
            {
                return false;
            }

            if (!_started)
            {
                _started = true;
                reporter.Start(total);
            }

            // The consumer is done with the item it had.
            if (_yielded > 0)
            {
                reporter.Count(ProgressOutcome.Succeeded);
            }

            bool moved;
            try
            {
                moved = inner.MoveNext();
            }
            catch
            {
                // The source's own failure: the item it was producing counts as failed.
                reporter.Count(ProgressOutcome.Failed);
                End();
                throw;
            }

            if (!moved)
            {
                reporter.SetTotal(_yielded);
                End();
                return false;
            }

            _yielded++;
            return true;
        }

        public void Reset() => throw new NotSupportedException();

        public void Dispose()
        {
            if (!_ended)
            {
                End();
            }

            inner.Dispose();
        }

        private void End()
        {
            _ended = true;
            if (_started)
            {
                reporter.Finish();
            }
        }
    }
}
