using System.Diagnostics;
using Distributed.Coordinator.Telemetry;
using Distributed.Protocol;
using Distributed.Protocol.V1;

namespace Distributed.Coordinator.Engine;

/// <summary>
/// Takes in what a worker says of the units it holds: that an item started, and their outcomes,
/// which are passed on to each unit's client under the client's own unit id. What a worker says
/// of a unit it no longer holds is stale, and dropped.
/// </summary>
/// <remarks>Every member runs under the engine's lock.</remarks>
internal sealed class WorkerReports(object engineLock, UnitBook book, RunTimeEstimates runTimes)
{
    public void ProgressLocked(WorkerSession worker, UnitProgress progress, Deliveries deliveries)
    {
        Debug.Assert(Monitor.IsEntered(engineLock));
        if (book.HeldBy(worker, progress.UnitId) is not { } record)
        {
            return;
        }

        int started = (int)progress.StartedIndex;
        if (started <= record.StartedIndex)
        {
            return;
        }

        book.Metrics.Started(started - Math.Max(record.StartedIndex, -1));
        record.StartedIndex = started;
        if (record.Isolated)
        {
            // Recorded: the item may run now (see Dispatcher.MessageFor).
            worker.Mailbox.Post(m => m.Started.Add(new UnitProgress { UnitId = record.Id, StartedIndex = progress.StartedIndex }));
        }

        deliveries.Running(record.Client, new UnitProgress { UnitId = record.ClientUnitId, StartedIndex = progress.StartedIndex });
    }

    /// <summary>
    /// Settles what an outcome reports. A partial outcome (a big one, cut to fit the stream)
    /// settles its items and leaves the unit with its worker; the last part releases it.
    /// </summary>
    public void OutcomeLocked(WorkerSession worker, UnitOutcome outcome, Deliveries deliveries)
    {
        Debug.Assert(Monitor.IsEntered(engineLock));
        if (book.HeldBy(worker, outcome.UnitId) is not { } record)
        {
            return;
        }

        var range = OutcomeRange.Of(outcome, record.Count);
        if (!outcome.Partial)
        {
            runTimes.Learn(outcome, record.FunctionId, record.Count);
        }

        KeepRetriesOpen(record, outcome, book.Metrics);
        var skipped = outcome.Skipped.Count == 0 ? null : outcome.Skipped.ToHashSet();
        var failed = outcome.Errors.Count == 0 ? null : outcome.Errors.ToDictionary(e => e.Index, e => e.Error);
        int ran = 0;
        int ranFailed = 0;
        int startedUnreported = 0;
        for (uint index = (uint)range.From; index < range.To; index++)
        {
            if (skipped?.Contains(index) == true || !record.IsOpen(index))
            {
                continue;
            }

            record.SettleRun(index);
            var error = failed?.GetValueOrDefault(index);
            bool itFailed = error is not null;
            worker.CompletedItems++;
            worker.FailedItems += itFailed ? 1UL : 0UL;
            book.CountRun(itFailed);
            book.Metrics.Completed(itFailed ? CoordinatorMetrics.OutcomeOf(error!.Kind) : "result");
            if (itFailed)
            {
                book.Journal.FailedOnWorker(record, worker, index, error!);
                ranFailed++;
            }

            ran++;

            // Fast items end before their start is reported: they count as started here.
            startedUnreported += index > record.StartedIndex ? 1 : 0;
        }

        book.Metrics.Started(startedUnreported);
        if (!outcome.Partial)
        {
            book.Metrics.Ran(outcome.RunNanos, deliveries);
        }

        book.Journal.Ran(record, worker, ran, ranFailed, outcome.Partial ? 0 : outcome.RunNanos);

        outcome.UnitId = record.ClientUnitId;
        deliveries.Outcome(record.Client, outcome);
        if (!outcome.Partial)
        {
            // The last part: the worker lets go of the unit. Items still open (it skipped one the
            // coordinator holds open, or ran the one item an isolated unit sends at a time) go out
            // again; otherwise the unit is done.
            book.ReturnLocked(record, deliveries);
        }
    }

    /// <summary>
    /// Items that threw one of their retry types, with retries left, stay open: their errors are
    /// taken out of the outcome (its client hears nothing, and the task stays running), and the
    /// unit, given back, sends them out again first, to whichever worker is free.
    /// </summary>
    private static void KeepRetriesOpen(UnitRecord record, UnitOutcome outcome, CoordinatorMetrics metrics)
    {
        if (record.Options is not { MaxRetries: > 0 })
        {
            return;
        }

        for (int i = outcome.Errors.Count - 1; i >= 0; i--)
        {
            var error = outcome.Errors[i];
            if (error.Error.Retryable && record.TryRetryAfterException(error.Index))
            {
                outcome.Errors.RemoveAt(i);
                outcome.Skipped.Add(error.Index);
                metrics.Retried("exception");
            }
        }
    }
}
