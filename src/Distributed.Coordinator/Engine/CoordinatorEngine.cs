using System.Diagnostics;
using Distributed.Protocol.V1;
using Microsoft.Extensions.Logging;

namespace Distributed.Coordinator.Engine;

/// <summary>
/// The coordinator's heart: the queue, the workers, and the state of every submitted item. It is
/// the single source of truth for what became of a task, and it guarantees that each ends in
/// exactly one of: a result, its own exception, canceled, or an infrastructure error.
/// </summary>
/// <remarks>
/// One lock guards all state. Every operation collects what it must tell clients in a
/// <see cref="Deliveries"/> and hands it over after the lock is released, so no client code, and no
/// write to a stream, ever runs under the lock.
/// </remarks>
internal sealed partial class CoordinatorEngine(EngineOptions options, ILogger logger)
{
    private readonly object _sync = new();
    private readonly FunctionCatalog _functions = new();
    private readonly RunTimeEstimates _runTimes = new();
    private readonly ChurnEvidence _churn = new(options.Time, options.MaxRetries);
    private readonly UnitQueue _queue = new();

    // Units given to a worker at least once, by the id workers know them by: what a worker's
    // outcome or progress names is looked up here. A unit never assigned is only queued, and known
    // to its client's session.
    private readonly Dictionary<ulong, UnitRecord> _units = [];
    private readonly List<WorkerSession> _workers = [];
    private readonly List<ClientSession> _clients = [];
    private readonly Dictionary<ulong, PendingCancel> _pendingCancels = [];

    private ulong _nextUnitId;
    private ulong _nextCancelId;
    private ulong _completedItems;
    private ulong _failedItems;
    private ErrorInfo? _broken;
    private bool _retriesDisabled;

    // The coordinator itself is shutting down: workers that register now are sent away at once.
    private bool _stopping;

    /// <summary>Raised (outside the lock) when a worker registered.</summary>
    public event Action<WorkerSession>? WorkerRegistered;

    /// <summary>Raised (outside the lock) when a worker is given up on, so its process can be dealt with.</summary>
    public event Action<WorkerSession, string>? WorkerLost;

    /// <summary>Raised (outside the lock) when a worker's initializer fails.</summary>
    public event Action<ErrorInfo>? InitializerFailed;

    public EngineOptions Options => options;

    /// <summary>The worker processes this engine's host starts, whose exits it can describe; null when it starts none.</summary>
    public IWorkerExits? WorkerExits { get; set; }

    /// <summary>Why the pool is broken, or null while it is not.</summary>
    public ErrorInfo? BrokenReason
    {
        get
        {
            lock (_sync)
            {
                return _broken;
            }
        }
    }

    /// <summary>Names a function once; the id is what units carry.</summary>
    public uint RegisterFunction(FunctionRef function)
    {
        lock (_sync)
        {
            return _functions.Register(function);
        }
    }

    /// <summary>
    /// The pool cannot run work any more: every open item of every client fails with
    /// <paramref name="error"/>, and so does every later submit.
    /// </summary>
    public void Break(ErrorInfo error)
    {
        var deliveries = new Deliveries();
        lock (_sync)
        {
            if (_broken is not null)
            {
                return;
            }

            _broken = error;
            foreach (var record in AllUnitsLocked())
            {
                FailOpenItemsLocked(record, error, deliveries);
            }

            _queue.Clear();
            foreach (var client in _clients)
            {
                deliveries.Broken(client, error);
            }
        }

        Log.PoolBroken(logger, error.Message);
        deliveries.Flush();
    }

    /// <summary>After this, a lost worker's items fail instead of running again: the pool is being torn down.</summary>
    public void DisableRetries()
    {
        lock (_sync)
        {
            _retriesDisabled = true;
        }
    }

    public StatusReply Status()
    {
        lock (_sync)
        {
            var reply = new StatusReply
            {
                QueuedItems = (ulong)QueuedItemsLocked(),
                RunningItems = (ulong)_workers.Sum(w => w.InFlight.Sum(r => r.OpenItems)),
                CompletedItems = _completedItems,
                FailedItems = _failedItems,
                Clients = (uint)_clients.Count(c => !c.Closed),
                Broken = _broken?.Message ?? string.Empty,
                WithoutWorkersMs = (ulong)WithoutWorkersLocked().TotalMilliseconds,
                NoWorkerTimeoutMs = options.WaitsForeverForWorkers ? 0 : (ulong)options.NoWorkerTimeout.TotalMilliseconds,
            };
            reply.Workers.AddRange(_workers.Select(w => new WorkerStatus
            {
                WorkerId = w.Id,
                Host = w.Host,
                Pid = w.Pid,
                Slots = (uint)w.Slots,
                AssignedItems = w.AssignedItems,
                CompletedItems = w.CompletedItems,
            }));
            return reply;
        }
    }

    /// <summary>The items waiting in the queue.</summary>
    private int QueuedItemsLocked()
    {
        Debug.Assert(Monitor.IsEntered(_sync));
        return _queue.OpenItems();
    }

    /// <summary>Every unit the engine holds: those its clients know, and those still running for a client that went away.</summary>
    private List<UnitRecord> AllUnitsLocked()
    {
        Debug.Assert(Monitor.IsEntered(_sync));
        return _clients.SelectMany(client => client.Units.Values).Concat(_units.Values).Distinct().ToList();
    }

    /// <summary>Settles every open item of a unit (or only the one given) with an error, and forgets the unit once nothing is open.</summary>
    private void FailOpenItemsLocked(UnitRecord record, ErrorInfo error, Deliveries deliveries, uint? only = null)
    {
        Debug.Assert(Monitor.IsEntered(_sync));
        var outcome = new UnitOutcome { UnitId = record.ClientUnitId };
        for (uint index = 0; index < record.Count; index++)
        {
            if (record.IsOpen(index) && (only is null || only == index))
            {
                record.Settle(index);
                outcome.Errors.Add(new ItemError { Index = index, Error = error });
                _failedItems++;
            }
            else
            {
                outcome.Skipped.Add(index);
            }
        }

        deliveries.Outcome(record.Client, outcome);
        ForgetIfClosedLocked(record, deliveries);
    }

    /// <summary>Drops a unit that has no open item left from every index, and wakes an idle waiter.</summary>
    private void ForgetIfClosedLocked(UnitRecord record, Deliveries deliveries)
    {
        Debug.Assert(Monitor.IsEntered(_sync));
        if (record.OpenItems > 0)
        {
            return;
        }

        _queue.Remove(record);

        // A unit its worker still holds has nothing left to run there (its items were canceled,
        // or failed by a broken pool): the worker's slot is free for other work, and whatever the
        // worker says of the unit later is stale.
        record.Worker?.Release(record);
        record.Worker = null;
        _units.Remove(record.Id);
        var client = record.Client;
        client.Units.Remove(record.ClientUnitId);
        if (client.Units.Count == 0 && client.Idle is { } idle)
        {
            client.Idle = null;
            deliveries.Complete(idle);
        }
    }

    /// <summary>The called function's name, for messages.</summary>
    private string FunctionName(UnitRecord record) => _functions.NameOf(record.FunctionId);

    /// <summary>A worker process was killed before it registered: no task can have done that (see <see cref="ChurnEvidence"/>).</summary>
    public void NoteOutsideDeath(string what)
    {
        lock (_sync)
        {
            _churn.NoteOutsideDeath(what);
        }
    }

    /// <summary>A cancel waiting on a worker's answer: for a single Cancel() (its reply), or for a withdrawal.</summary>
    private sealed record PendingCancel(TaskCompletionSource<bool>? Reply, WithdrawalInProgress? Withdrawal, UnitRecord Record, uint Index, WorkerSession Worker);

    /// <summary>A withdrawal: what it has canceled so far, and how many workers' answers it still waits for.</summary>
    private sealed class WithdrawalInProgress(ulong requestId)
    {
        public Withdrawn Answer { get; } = new() { RequestId = requestId };

        public int Outstanding { get; set; }

        public TaskCompletionSource<Withdrawn> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
