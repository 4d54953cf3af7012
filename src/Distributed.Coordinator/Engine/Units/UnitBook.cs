using System.Diagnostics;
using Distributed.Coordinator.Dashboard;
using Distributed.Coordinator.Telemetry;
using Distributed.Coordinator.Wire;
using Distributed.Protocol.V1;

namespace Distributed.Coordinator.Engine;

/// <summary>
/// Where every unit is while it has open items: in the queue, or held by a worker (and found there
/// by the id workers know it by), and always known to its client by the client's own id. Units are
/// settled and forgotten only here, so the three stay in step, and so do the pool's counts.
/// </summary>
/// <remarks>Every member runs under the engine's lock.</remarks>
internal sealed class UnitBook(object engineLock, CoordinatorMetrics metrics, TaskJournal journal, TimeProvider time)
{
    // Units given to a worker at least once, by the id workers know them by: what a worker's
    // outcome or progress names is looked up here. A unit never assigned is only queued, and known
    // to its client's session.
    private readonly Dictionary<ulong, UnitRecord> _assigned = [];
    private ulong _nextUnitId;

    /// <summary>Units waiting for a worker, oldest first (retries go to the front).</summary>
    public UnitQueue Queue { get; } = new();

    /// <summary>What the coordinator measures: everyone who settles, cancels or retries items counts here.</summary>
    public CoordinatorMetrics Metrics => metrics;

    /// <summary>What the dashboard shows of finished units and failures: recorded wherever items are settled, beside <see cref="Metrics"/>.</summary>
    public TaskJournal Journal => journal;

    public ulong CompletedItems { get; private set; }

    public ulong FailedItems { get; private set; }

    /// <summary>Takes in a unit a client submitted: it is queued if any item is open, and returned either way.</summary>
    public UnitRecord AdmitLocked(ClientSession client, ForwardedUnit unit)
    {
        AssertLocked();
        var record = new UnitRecord(++_nextUnitId, client, unit, unit.CalculateSize());
        metrics.Submitted(record.Count);
        if (record.OpenItems > 0)
        {
            record.QueuedAt = time.GetTimestamp();
            client.Units[record.ClientUnitId] = record;
            Queue.AddLast(record);
        }

        return record;
    }

    /// <summary>The unit leaves the queue for a worker's hands.</summary>
    public void AssignLocked(UnitRecord record, WorkerSession worker)
    {
        AssertLocked();
        Queue.Remove(record);
        record.Worker = worker;
        record.StartedIndex = -1;
        worker.Hold(record);
        _assigned[record.Id] = record;
    }

    /// <summary>The unit a worker names by <paramref name="unitId"/>, if that worker still holds it; otherwise what it says is stale.</summary>
    public UnitRecord? HeldBy(WorkerSession worker, ulong unitId)
    {
        AssertLocked();
        return _assigned.TryGetValue(unitId, out var record) && record.Worker == worker ? record : null;
    }

    /// <summary>
    /// A unit its worker gave back (lost with the worker, or answered with items still open) runs
    /// again first; one with nothing open left is done, and forgotten.
    /// </summary>
    public void ReturnLocked(UnitRecord record, Deliveries deliveries)
    {
        AssertLocked();
        record.Worker?.Release(record);
        record.Worker = null;
        record.KeepStarted();
        record.StartedIndex = -1;
        if (record.AnyTokenCanceled && _assigned.ContainsKey(record.Id))
        {
            // Its client canceled these items' token while the worker held them: they do not run again.
            for (uint index = 0; index < record.Count; index++)
            {
                if (record.IsOpen(index) && record.IsTokenCanceled(index))
                {
                    FailOpenItemsLocked(record, EngineErrors.CanceledByToken(ran: record.StartedBefore(index)), deliveries, only: index);
                }
            }
        }

        if (record.OpenItems > 0 && _assigned.ContainsKey(record.Id))
        {
            record.QueuedAt = time.GetTimestamp();
            Queue.AddFirst(record);
        }
        else
        {
            ForgetIfClosedLocked(record, deliveries);
        }
    }

    /// <summary>Counts items that ended on a worker, by whether they failed.</summary>
    public void CountRun(bool failed)
    {
        if (failed)
        {
            FailedItems++;
        }
        else
        {
            CompletedItems++;
        }
    }

    /// <summary>
    /// Refuses a whole unit that can never run (too large for any worker): it leaves the queue, its
    /// client hears why, and it is forgotten.
    /// </summary>
    public void RejectLocked(UnitRecord record, ErrorInfo rejection, Deliveries deliveries)
    {
        AssertLocked();
        Queue.Remove(record);
        deliveries.Rejected(record.Client, record.ClientUnitId, rejection);
        for (uint index = 0; index < record.Count; index++)
        {
            record.Settle(index);
        }

        FailedItems += (ulong)record.Count;
        metrics.Completed("rejected", record.Count);
        ForgetIfClosedLocked(record, deliveries);
    }

    /// <summary>Settles every open item of a unit (or only the one given) with an error, and forgets the unit once nothing is open.</summary>
    public void FailOpenItemsLocked(UnitRecord record, ErrorInfo error, Deliveries deliveries, uint? only = null)
    {
        AssertLocked();
        var outcome = new UnitOutcome { UnitId = record.ClientUnitId };
        uint? first = null;
        for (uint index = 0; index < record.Count; index++)
        {
            if (record.IsOpen(index) && (only is null || only == index))
            {
                record.Settle(index);
                outcome.Errors.Add(new ItemError { Index = index, Error = error });
                FailedItems++;
                metrics.Completed(CoordinatorMetrics.OutcomeOf(error.Kind));
                first ??= index;
            }
            else
            {
                outcome.Skipped.Add(index);
            }
        }

        journal.FailedHere(record, error, first ?? 0, outcome.Errors.Count);

        deliveries.Outcome(record.Client, outcome);
        ForgetIfClosedLocked(record, deliveries);
    }

    /// <summary>Drops a unit that has no open item left from every index, and wakes its client's idle waiter.</summary>
    public void ForgetIfClosedLocked(UnitRecord record, Deliveries deliveries)
    {
        AssertLocked();
        if (record.OpenItems > 0)
        {
            return;
        }

        Queue.Remove(record);

        // A unit its worker still holds has nothing left to run there (its items were canceled,
        // or failed by a broken pool): the worker's slot is free for other work, and whatever the
        // worker says of the unit later is stale.
        record.Worker?.Release(record);
        record.Worker = null;
        _assigned.Remove(record.Id);
        var client = record.Client;
        client.Units.Remove(record.ClientUnitId);
        if (client.Units.Count == 0 && client.Idle is { } idle)
        {
            client.Idle = null;
            deliveries.Complete(idle);
        }
    }

    /// <summary>Every unit held: those its clients know, and those still running for a client that went away.</summary>
    public List<UnitRecord> AllLocked(IEnumerable<ClientSession> clients)
    {
        AssertLocked();
        return clients.SelectMany(client => client.Units.Values).Concat(_assigned.Values).Distinct().ToList();
    }

    /// <summary>
    /// What must hold whenever the engine's lock is let go (checked in Debug builds, where the
    /// engine tests also run): a unit with open items is exactly one of queued or held by one
    /// worker; whatever a worker holds names that worker, is not queued and is found by the id the
    /// worker knows; every unit a client knows is its own and not done.
    /// </summary>
    [Conditional("DEBUG")]
    public void AssertInvariantsLocked(IEnumerable<WorkerSession> workers, IReadOnlyCollection<ClientSession> clients)
    {
        AssertLocked();
        foreach (var record in AllLocked(clients))
        {
            bool queued = record.Queued;
            bool held = record.Worker is not null;
            Debug.Assert(record.OpenItems == 0 || queued != held, $"unit {record.Id}: queued {queued}, held {held}");
            Debug.Assert(!held || record.Worker!.Holds(record), $"unit {record.Id} names worker {record.Worker?.Id}, which does not hold it");
        }

        foreach (var worker in workers)
        {
            foreach (var record in worker.InFlight)
            {
                Debug.Assert(record.Worker == worker && !record.Queued && _assigned.GetValueOrDefault(record.Id) == record, $"worker {worker.Id} holds unit {record.Id}, which is elsewhere");
            }
        }

        foreach (var client in clients)
        {
            foreach (var record in client.Units.Values)
            {
                Debug.Assert(record.Client == client && (record.OpenItems > 0 || record.Worker is not null), $"client {client.Id} still knows unit {record.ClientUnitId}, which is done");
            }
        }
    }

    [Conditional("DEBUG")]
    private void AssertLocked() => Debug.Assert(Monitor.IsEntered(engineLock));
}
