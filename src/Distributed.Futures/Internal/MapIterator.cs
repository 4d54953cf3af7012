using System.Collections;

namespace Distributed.Futures.Internal;

/// <summary>
/// The sequence <see cref="Executor.Map{T, TResult}(Func{T, TResult}, IEnumerable{T}, TimeSpan?, int, int?)"/>
/// returns. It submits at construction (all items, or the first <c>bufferSize</c>), then hands out
/// results in input order, topping the buffer up by one item per result taken. It drops each
/// future (or chunk) once it has handed out its results, so memory stays bounded by the buffer
/// however long the input is.
/// </summary>
internal sealed class MapIterator<TItem, TResult> : IEnumerable<TResult>, IEnumerator<TResult>, IProgressSource
{
    private readonly Executor _executor;
    private readonly Func<TItem, ExecutorCall<TResult>> _toCall;
    private readonly Deadline _deadline;
    private readonly int _chunkSize;
    private readonly bool _buffered;
    // Submitted and not yet handed out: a future per item, or a chunk of items sent together.
    private readonly Queue<Entry> _submitted = new();

    // Calls read from the input but not yet submitted, while a chunk fills up.
    private readonly List<ExecutorCall<TResult>> _chunk = [];

    // The input, while it may still have items; null once exhausted.
    private IEnumerator<TItem>? _source;
    private TResult _current = default!;

    // The next item of the head entry, when that entry is a chunk.
    private int _headIndex;

    // A chunk whose last item is being taken: its tokens are let go once that result is in.
    private Entry? _lastOfChunk;

    // Items submitted and not yet handed out.
    private int _inFlight;
    private int _taken;
    private bool _handedOut;
    private bool _ended;

    // Items read from the input, and how many it has if it could say so without being read: the
    // total a progress report shows while a buffered Map's input is still being read.
    private long _read;
    private long? _countHint;

    // Set by WithProgress; a Map nobody follows pays only for the null checks.
    private ProgressReporter? _progress;

    private MapIterator(Executor executor, Func<TItem, ExecutorCall<TResult>> toCall, Deadline deadline, int chunkSize, bool buffered)
    {
        _executor = executor;
        _toCall = toCall;
        _deadline = deadline;
        _chunkSize = chunkSize;
        _buffered = buffered;
    }

    public TResult Current => _current;

    object? IEnumerator.Current => _current;

    // countHint: how many items there are, if known without reading them; the input's own count
    // is used otherwise (a two-sequence Map knows it from both sequences, its zip cannot say).
    public static MapIterator<TItem, TResult> Start(
        Executor executor,
        IEnumerable<TItem> items,
        Func<TItem, ExecutorCall<TResult>> toCall,
        TimeSpan? timeout,
        int chunkSize,
        int? bufferSize,
        long? countHint = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkSize, 1);
        if (bufferSize is <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(bufferSize), bufferSize, "bufferSize must be positive.");
        }

        var deadline = Deadline.After(timeout);
        int effectiveChunkSize = executor.MapsInChunks ? chunkSize : 1;
        var iterator = new MapIterator<TItem, TResult>(executor, toCall, deadline, effectiveChunkSize, bufferSize.HasValue);
        if (bufferSize.HasValue)
        {
            iterator._countHint = countHint ?? (items.TryGetNonEnumeratedCount(out int count) ? count : null);
        }

        iterator.SubmitInitial(items, bufferSize);
        return iterator;
    }

    public IEnumerator<TResult> GetEnumerator()
    {
        if (_handedOut)
        {
            throw new InvalidOperationException("The results of Map can be enumerated only once.");
        }

        _handedOut = true;
        return this;
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public bool MoveNext()
    {
        if (_ended)
        {
            return false;
        }

        (Future<TResult>? Future, MapChunk<TResult>? Chunk, int Index) taking = default;
        try
        {
            if (_buffered)
            {
                TopUp();
            }

            if (!TryTakeNext(out taking))
            {
                End(cancelRemaining: false);
                return false;
            }

            _current = taking.Future is { } future ? TakeResult(future) : TakeResult(taking.Chunk!, taking.Index);
            _taken++;
            StopWatchingLastChunk();
            _progress?.Count(ProgressOutcome.Succeeded);
            return true;
        }
        catch (Exception error)
        {
            CountFailure(taking, error);
            StopWatchingLastChunk();
            // As Python's _result_or_cancel: the item that timed out is canceled too.
            taking.Future?.Cancel();
            End(cancelRemaining: true, taking.Chunk is { } chunk ? (chunk, taking.Index) : null);
            throw;
        }
    }

    public void Reset() => throw new NotSupportedException();

    public void Follow(ProgressReporter reporter)
    {
        if (_progress is not null || _ended)
        {
            throw new InvalidOperationException(_ended
                ? "The iteration of these Map results has ended: there is no progress left to follow."
                : "The progress of these Map results is already followed.");
        }

        _progress = reporter;
        reporter.Start(_source is null ? _read : _countHint, _taken);
    }

    public void Dispose()
    {
        if (!_ended)
        {
            End(cancelRemaining: true);
        }
    }

    private void SubmitInitial(IEnumerable<TItem> items, int? bufferSize)
    {
        _source = items.GetEnumerator();
        try
        {
            while (_read < bufferSize.GetValueOrDefault(int.MaxValue) || !_buffered)
            {
                if (!_source.MoveNext())
                {
                    _source.Dispose();
                    _source = null;
                    break;
                }

                Add(_source.Current);
                _read++;
            }

            Flush();
        }
        catch
        {
            End(cancelRemaining: true);
            throw;
        }
    }

    // Reads one more item for the result about to be taken, as Python 3.14 does before it waits.
    private void TopUp()
    {
        if (_source is not null)
        {
            if (_source.MoveNext())
            {
                Add(_source.Current);
                _read++;
            }
            else
            {
                _source.Dispose();
                _source = null;
                _progress?.SetTotal(_read);
            }
        }

        // A partial chunk goes out when nothing else is in flight, or when no more items will come.
        if (_chunk.Count > 0 && (_source is null || _inFlight == 0))
        {
            Flush();
        }
    }

    private void Add(TItem item)
    {
        var call = _toCall(item);

        // An executor that sends chunks gets them even of one item: a chunk's items are canceled
        // together, in one message, when the Map ends early.
        if (_chunkSize == 1 && !_executor.MapsInChunks)
        {
            _submitted.Enqueue(new Entry(_executor.ScheduleForMap(call), null, null));
            _inFlight++;
            return;
        }

        _chunk.Add(call);
        if (_chunk.Count >= _chunkSize)
        {
            Flush();
        }
    }

    private void Flush()
    {
        if (_chunk.Count == 0)
        {
            return;
        }

        var chunk = _executor.SubmitChunkForMap(_chunk);
        if (chunk.Count != _chunk.Count)
        {
            throw new InvalidOperationException(
                $"{_executor.GetType().Name}.SubmitMapChunk returned {chunk.Count} outcomes for {_chunk.Count} calls.");
        }

        _submitted.Enqueue(new Entry(null, chunk, CallTokenWatch.WatchChunk(_chunk, chunk)));
        _inFlight += chunk.Count;
        _chunk.Clear();
    }

    private bool TryTakeNext(out (Future<TResult>? Future, MapChunk<TResult>? Chunk, int Index) taking)
    {
        taking = default;
        if (!_submitted.TryPeek(out var head))
        {
            return false;
        }

        _inFlight--;
        if (head.Future is { } future)
        {
            _submitted.Dequeue();
            taking = (future, null, 0);
            return true;
        }

        var chunk = head.Chunk!;
        taking = (null, chunk, _headIndex);
        if (++_headIndex == chunk.Count)
        {
            // Its tokens stay watched until its last result is in (see MoveNext).
            _lastOfChunk = _submitted.Dequeue();
            _headIndex = 0;
        }

        return true;
    }

    private TResult TakeResult(Future<TResult> future)
    {
        try
        {
            return future.Result(_deadline.Remaining);
        }
        catch (TimeoutException) when (!future.IsDone)
        {
            // Not the task's own TimeoutException: the map's deadline passed.
            throw NewTimeout();
        }
    }

    private TResult TakeResult(MapChunk<TResult> chunk, int index)
    {
        try
        {
            return chunk.Result(index, _deadline.Remaining);
        }
        catch (TimeoutException) when (!chunk.IsDone(index))
        {
            throw NewTimeout();
        }
    }

    private void StopWatchingLastChunk()
    {
        _lastOfChunk?.StopWatchingTokens();
        _lastOfChunk = null;
    }

    /// <summary>Counts the item whose outcome ended the iteration: not a deadline or a failure to read the input.</summary>
    private void CountFailure((Future<TResult>? Future, MapChunk<TResult>? Chunk, int Index) taking, Exception error)
    {
        if (_progress is null)
        {
            return;
        }

        bool itemDone = taking.Future?.IsDone ?? taking.Chunk?.IsDone(taking.Index) ?? false;
        if (itemDone)
        {
            bool canceled = taking.Future?.IsCanceled ?? error is OperationCanceledException;
            _progress.Count(canceled ? ProgressOutcome.Canceled : ProgressOutcome.Failed);
        }
    }

    private TimeoutException NewTimeout() => new($"Map timed out: result {_taken} was not ready when the deadline passed.");

    /// <param name="cancelRemaining">Cancel whatever was submitted and not handed out.</param>
    /// <param name="alsoCancel">A chunk already taken from the queue whose items from an index on must be canceled too.</param>
    private void End(bool cancelRemaining, (MapChunk<TResult> Chunk, int From)? alsoCancel = null)
    {
        _ended = true;
        if (cancelRemaining)
        {
            // Every chunk's cancel starts before any is waited for: an executor that sends them
            // elsewhere sends them together, and the Map ends after one round trip, not one per chunk.
            var canceling = new List<Task>();
            if (alsoCancel is var (taken, from))
            {
                canceling.Add(taken.CancelFromAsync(from));
            }

            bool head = true;
            foreach (var entry in _submitted)
            {
                entry.Future?.Cancel();
                if (entry.Chunk is { } chunk)
                {
                    canceling.Add(chunk.CancelFromAsync(head ? _headIndex : 0));
                }

                head = false;
            }

            Task.WaitAll(canceling);
        }

        foreach (var entry in _submitted)
        {
            entry.StopWatchingTokens();
        }

        StopWatchingLastChunk();
        _submitted.Clear();
        _chunk.Clear();
        _inFlight = 0;
        _source?.Dispose();
        _source = null;

        // Last, once every cancel has been sent: the final report is the end of the Map.
        _progress?.Finish();
    }

    /// <param name="Future">An item submitted on its own.</param>
    /// <param name="Chunk">Or items sent together.</param>
    /// <param name="TokenWatches">The chunk's items' token registrations, if any take a token: kept while the Map waits for the chunk.</param>
    private readonly record struct Entry(Future<TResult>? Future, MapChunk<TResult>? Chunk, List<CancellationTokenRegistration>? TokenWatches)
    {
        public void StopWatchingTokens() => TokenWatches?.ForEach(registration => registration.Dispose());
    }
}
