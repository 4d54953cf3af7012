using System.Diagnostics;
using Distributed.Coordinator.Telemetry;
using Distributed.Coordinator.Wire;
using Distributed.Protocol;
using Distributed.Protocol.V1;
using Microsoft.Extensions.Logging;

namespace Distributed.Coordinator.Engine;

/// <summary>
/// Hands queued units to workers, highest priority first and oldest first within one: to a free slot when there is one, else to the
/// worker whose estimated backlog is shortest, as long as it stays short (see
/// <see cref="WorkerSession.CanTake"/>). The queue's order is kept: when its head cannot be
/// placed, nothing behind it jumps ahead.
/// </summary>
/// <remarks>Every member runs under the engine's lock.</remarks>
internal sealed class Dispatcher(object engineLock, UnitBook book, IReadOnlyList<WorkerSession> workers, FunctionCatalog functions, RunTimeEstimates runTimes, TimeProvider time, ILogger logger)
{
    public void DispatchLocked(Deliveries deliveries)
    {
        Debug.Assert(Monitor.IsEntered(engineLock));
        long now = time.GetTimestamp();
        while (book.Queue.First is { } record)
        {
            if (record.OpenItems == 0)
            {
                book.ForgetIfClosedLocked(record, deliveries);
                continue;
            }

            double estimate = runTimes.Estimate(record.FunctionId, record.OpenItems);
            if (ChooseWorker(record, estimate, now) is not { } worker)
            {
                if (!RejectIfNoWorkerFits(record, deliveries))
                {
                    return;
                }

                continue;
            }

            Assign(worker, record, estimate, now, deliveries);
        }
    }

    private WorkerSession? ChooseWorker(UnitRecord record, double estimate, long now)
    {
        WorkerSession? best = null;
        foreach (var worker in workers)
        {
            if (!worker.CanTake(record, estimate, time, now))
            {
                continue;
            }

            bool better = best is null
                || worker.FreeSlots > best.FreeSlots
                || (worker.FreeSlots == best.FreeSlots && worker.EstimatedNanosInFlight < best.EstimatedNanosInFlight);
            if (better)
            {
                best = worker;
            }
        }

        return best;
    }

    /// <summary>
    /// Fails a unit at the head of the queue that no connected worker could ever take, because it
    /// is larger than any of them reads: waiting would hold up the whole queue behind it for good.
    /// </summary>
    /// <returns>True if the unit was failed (and left the queue).</returns>
    private bool RejectIfNoWorkerFits(UnitRecord record, Deliveries deliveries)
    {
        // Called whenever the head waits (every submit while the queue is backed up): no allocation here.
        int largest = 0;
        foreach (var worker in workers)
        {
            if (worker.Accepting)
            {
                largest = Math.Max(largest, worker.MaxMessageBytes);
            }
        }

        if (largest == 0 || record.SizeAsSent <= largest - ProtocolInfo.MessageOverheadBytes)
        {
            return false;
        }

        string problem = $"The call to {functions.NameOf(record.FunctionId)} is {record.SizeAsSent:N0} bytes encoded, more than any connected worker takes " +
            $"(the largest limit is {largest:N0} bytes; see the workers' --max-message-bytes).";
        Log.UnitRejected(logger, record.Client.Id, record.ClientUnitId, problem);
        book.RejectLocked(record, EngineErrors.Rejection(problem), deliveries);
        return true;
    }

    private void Assign(WorkerSession worker, UnitRecord record, double estimate, long now, Deliveries deliveries)
    {
        record.EstimatedNanos = estimate;
        record.AssignedAt = now;
        record.Dispatches++;
        book.Metrics.LeftQueue(time, record.QueuedAt, now, deliveries);
        CoordinatorTrace.LeftQueue(record, functions, worker.Id, time, now);
        book.AssignLocked(record, worker);
        var unit = MessageFor(record);
        worker.AssignedItems += (ulong)(unit.Count - unit.Skip.Count);
        if (worker.Budget is int budget)
        {
            worker.Budget = budget - 1;
        }

        uint functionId = unit.FunctionId;
        bool define = worker.DefinedFunctions.Add(functionId);
        var definition = define ? new FunctionDefinition { FunctionId = functionId, Function = functions[functionId] } : null;
        worker.Mailbox.Post(m =>
        {
            if (definition is not null)
            {
                m.Functions.Add(definition);
            }

            m.Units.Add(unit);
        });
    }

    /// <summary>
    /// The message to send, made fresh each time (its arguments are the bytes the unit arrived
    /// with, shared, never copied): the items no longer open are marked skipped, so a worker that
    /// gets it again runs only what is left. An isolated unit goes out with one item open at a time.
    /// </summary>
    private static ForwardedUnit MessageFor(UnitRecord record)
    {
        int first = record.NextOpenFrom(0);
        bool oneAtATime = record.Isolated && record.OpenItems > 1;
        record.SoleItemSent = oneAtATime || record.OpenItems == 1 ? first : -1;

        // An isolated item starts only once the coordinator has recorded that it starts, so a
        // death is counted against it exactly when it ran, and never while its worker was still
        // loading (a fresh worker's first call is its slowest, and the likeliest victim of churn).
        var unit = record.ToMessage();
        unit.ConfirmStart = record.Isolated;
        if (oneAtATime || record.OpenItems != record.Count)
        {
            for (uint index = 0; index < record.Count; index++)
            {
                if (!record.IsOpen(index) || (oneAtATime && index != first))
                {
                    unit.Skip.Add(index);
                }
            }
        }

        return unit;
    }
}
