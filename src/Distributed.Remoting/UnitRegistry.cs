using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using Distributed.Futures;
using Distributed.Protocol;
using Distributed.Protocol.V1;

namespace Distributed.Remoting;

/// <summary>
/// A client's units in flight, by the client's unit id, and the one thread that runs their futures'
/// user callbacks, in order. Outcomes are applied where they arrive (the futures' waiters wake at
/// once, without a thread hop); only user callbacks, which may block, go to that thread, so they
/// never hold up the stream the outcomes arrive on.
/// </summary>
[SuppressMessage(
    "Reliability",
    "CA1001:Types that own disposable fields should be disposable",
    Justification = "The delivery pool is shut down by DrainDeliveriesAsync, the last step of a client's shutdown.")]
internal sealed class UnitRegistry(string deliveryThreadName, ClientMetrics metrics)
{
    private readonly object _lock = new();
    private readonly Dictionary<ulong, IUnitFutures> _units = [];
    private readonly ThreadPoolExecutor _delivery = new(maxWorkers: 1, threadNamePrefix: deliveryThreadName);
    private ulong _nextUnitId;

    // The open client spans of units, by unit id; null until tracing first had a listener, so a
    // client nobody traces pays one null check per unit.
    private Dictionary<ulong, Activity>? _spans;

    // Completed when the registry empties, for a shutdown that waits for all work.
    private TaskCompletionSource? _empty;

    /// <summary>What this client measures.</summary>
    public ClientMetrics Metrics => metrics;

    /// <summary>True on the thread that completes futures: it must not wait for its client to finish.</summary>
    public bool IsDeliveryThread => _delivery.OwnsCurrentThread;

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _units.Count;
            }
        }
    }

    /// <summary>A fresh unit id, for the unit about to be submitted.</summary>
    public ulong NextUnitId() => Interlocked.Increment(ref _nextUnitId);

    public void Add(IUnitFutures unit)
    {
        lock (_lock)
        {
            _units[unit.UnitId] = unit;
        }
    }

    /// <summary>Keeps the unit's span open until the unit leaves the registry (its last item done).</summary>
    public void Track(ulong unitId, Activity span)
    {
        lock (_lock)
        {
            (_spans ??= [])[unitId] = span;
        }
    }

    public IUnitFutures? Find(ulong unitId)
    {
        lock (_lock)
        {
            return _units.GetValueOrDefault(unitId);
        }
    }

    public void Forget(ulong unitId)
    {
        TaskCompletionSource? empty;
        Activity? span = null;
        lock (_lock)
        {
            _units.Remove(unitId);
            _spans?.Remove(unitId, out span);
            empty = TakeEmptySignalLocked();
        }

        span?.Stop();
        empty?.TrySetResult();
    }

    /// <summary>Completes once no unit is in flight.</summary>
    public Task WhenEmptyAsync()
    {
        lock (_lock)
        {
            if (_units.Count == 0)
            {
                return Task.CompletedTask;
            }

            _empty ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _empty.Task;
        }
    }

    /// <summary>Applies outcomes to their units' futures.</summary>
    public void Deliver(IReadOnlyList<UnitOutcome> outcomes)
    {
        foreach (var outcome in outcomes)
        {
            if (_spans is not null && outcome.Errors.Count > 0)
            {
                MarkFailed(outcome);
            }

            metrics.Received(outcome);

            Find(outcome.UnitId)?.Settle(outcome);
        }
    }

    private void MarkFailed(UnitOutcome outcome)
    {
        Activity? span;
        lock (_lock)
        {
            span = _spans!.GetValueOrDefault(outcome.UnitId);
        }

        if (span is not null)
        {
            ClientTrace.MarkFailed(span, outcome.Errors[0].Error);
        }
    }

    /// <summary>Runs user callbacks on the delivery thread, in the order given.</summary>
    public void RunCallbacks(Action callbacks)
    {
        try
        {
            _delivery.Submit(callbacks);
        }
        catch (InvalidOperationException)
        {
            // The client is past its shutdown: nothing else will run on this thread, so run them here.
            callbacks();
        }
    }

    /// <summary>Marks items running; safe on any thread, since marking runs no callback.</summary>
    public void MarkRunning(IReadOnlyList<UnitProgress> progress)
    {
        foreach (var item in progress)
        {
            Find(item.UnitId)?.MarkRunning(item.StartedIndex);
        }
    }

    /// <summary>Cancels the items the coordinator withdrew: they never run.</summary>
    public void ApplyWithdrawn(Withdrawn withdrawn)
    {
        foreach (ulong unitId in withdrawn.UnitIds)
        {
            Find(unitId)?.ConfirmWithdrawn(null);
        }

        foreach (var item in withdrawn.Items)
        {
            Find(item.UnitId)?.ConfirmWithdrawn(item.Index);
        }
    }

    /// <summary>Fails every item of a unit the coordinator refused.</summary>
    public void Reject(ulong unitId, ErrorInfo error)
    {
        if (Find(unitId) is { } unit)
        {
            metrics.Rejected(unit.Count);
            unit.FailAll(ErrorCodec.Decode(error));
        }
    }

    /// <summary>Fails every item still open and forgets every unit.</summary>
    public void FailAll(Exception error)
    {
        List<IUnitFutures> units;
        List<Activity>? spans = null;
        TaskCompletionSource? empty;
        lock (_lock)
        {
            units = [.. _units.Values];
            _units.Clear();
            if (_spans is { Count: > 0 })
            {
                spans = [.. _spans.Values];
                _spans.Clear();
            }

            empty = TakeEmptySignalLocked();
        }

        units.ForEach(unit => unit.FailAll(error));
        spans?.ForEach(span => ClientTrace.Fail(span, error));
        empty?.TrySetResult();
    }

    /// <summary>Completes when every callback handed over so far has run.</summary>
    public Task DrainDeliveriesAsync() => _delivery.ShutdownAsync();

    private TaskCompletionSource? TakeEmptySignalLocked()
    {
        Debug.Assert(Monitor.IsEntered(_lock));
        if (_units.Count > 0)
        {
            return null;
        }

        var empty = _empty;
        _empty = null;
        return empty;
    }
}
