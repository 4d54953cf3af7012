using System.Diagnostics;
using System.Runtime.ExceptionServices;
using Distributed.Futures;
using Distributed.Protocol;
using Distributed.Protocol.V1;

namespace Distributed.Remoting;

/// <summary>
/// A Map chunk sent to a worker as one unit: each item's result or exception, kept in arrays
/// rather than a future per item, so a long Map holds one small object per chunk (as Python holds
/// one future per chunk) while every item still gets its own outcome.
/// </summary>
internal sealed class RemoteMapChunk<TResult> : MapChunk<TResult>, IUnitFutures
{
    private const byte Open = 0;
    private const byte Succeeded = 1;
    private const byte Failed = 2;
    private const byte Canceled = 3;

    private readonly object _lock = new();
    private readonly IUnitLink _link;
    private readonly Type _wireResultType;
    private readonly TResult[] _results;
    private readonly byte[] _states;
    private ExceptionDispatchInfo?[]? _errors;
    private int _open;

    /// <param name="link">The client that sent the unit, for withdrawals and its registry.</param>
    /// <param name="unitId">The unit, as the client numbers it.</param>
    /// <param name="count">How many items.</param>
    /// <param name="wireResultType">The called method's return type, which the worker encoded the results by.</param>
    public RemoteMapChunk(IUnitLink link, ulong unitId, int count, Type wireResultType)
    {
        _link = link;
        UnitId = unitId;
        _wireResultType = wireResultType;
        _results = new TResult[count];
        _states = new byte[count];
        _open = count;
    }

    public ulong UnitId { get; }

    public override int Count => _states.Length;

    public override bool IsDone(int index) => Volatile.Read(ref _states[index]) != Open;

    public override TResult Result(int index, TimeSpan? timeout)
    {
        lock (_lock)
        {
            var deadline = Deadline.After(timeout);
            while (_states[index] == Open)
            {
                int milliseconds = deadline.RemainingMilliseconds;
                if (milliseconds == 0)
                {
                    throw new TimeoutException($"Timed out after {timeout} waiting for item {index} of a Map chunk.");
                }

                Monitor.Wait(_lock, milliseconds);
            }

            switch (_states[index])
            {
                case Failed:
                    _errors![index]!.Throw();
                    break;
                case Canceled:
                    throw new FutureCanceledException();
            }

            return _results[index];
        }
    }

    public override void CancelFrom(int index) => CancelFromAsync(index).GetAwaiter().GetResult();

    /// <summary>
    /// Asks the coordinator to withdraw the items from <paramref name="index"/> on, in one request:
    /// those no worker started are canceled when its answer arrives, and never run.
    /// </summary>
    public override Task CancelFromAsync(int index)
    {
        for (int i = index; i < _states.Length; i++)
        {
            if (!IsDone(i))
            {
                return _link.WithdrawFromAsync(UnitId, (uint)i);
            }
        }

        return Task.CompletedTask;
    }

    public void Settle(UnitOutcome outcome)
    {
        // Decoded before the lock is taken: decoding may run user code.
        var items = new List<(int Index, TResult Result, Exception? Error)>();
        var reader = new OutcomeItems<TResult>(outcome, _states.Length, _wireResultType);
        while (reader.MoveNext(out int index, out var result, out var error))
        {
            items.Add((index, result, error));
        }

        bool last;

        // One lock for the whole outcome: a chunk's items settle together.
        lock (_lock)
        {
            foreach (var (index, result, error) in items)
            {
                if (_states[index] == Open)
                {
                    SetLocked(index, error is null ? Succeeded : Failed, result, error);
                }
            }

            last = _open == 0;
            Monitor.PulseAll(_lock);
        }

        if (last)
        {
            _link.Forget(UnitId);
        }
    }

    /// <inheritdoc/>
    protected override void OnItemTokenCanceled(int index) => _link.CancelByToken(UnitId, (uint)index);

    public void MarkRunning(uint startedIndex)
    {
        // A chunk's items have no running state of their own to show.
    }

    public void FailUnsent(int index, Exception error) => Close(index, Failed, default!, error);

    public void FailAll(Exception error)
    {
        for (int index = 0; index < _states.Length; index++)
        {
            Close(index, Failed, default!, error);
        }
    }

    public void ConfirmWithdrawn(uint? index)
    {
        if (index is { } one)
        {
            if (one < _states.Length)
            {
                Close((int)one, Canceled, default!, null);
            }

            return;
        }

        for (int i = 0; i < _states.Length; i++)
        {
            Close(i, Canceled, default!, null);
        }
    }

    /// <summary>Gives an open item its outcome (a second outcome for the same item is ignored).</summary>
    private void Close(int index, byte state, TResult result, Exception? error)
    {
        bool last;
        lock (_lock)
        {
            if (_states[index] != Open)
            {
                return;
            }

            SetLocked(index, state, result, error);
            last = _open == 0;
            Monitor.PulseAll(_lock);
        }

        if (last)
        {
            _link.Forget(UnitId);
        }
    }

    private void SetLocked(int index, byte state, TResult result, Exception? error)
    {
        Debug.Assert(Monitor.IsEntered(_lock));
        _results[index] = result;
        if (error is not null)
        {
            (_errors ??= new ExceptionDispatchInfo?[_states.Length])[index] = ExceptionDispatchInfo.Capture(error);
        }

        Volatile.Write(ref _states[index], state);
        _open--;
    }
}
