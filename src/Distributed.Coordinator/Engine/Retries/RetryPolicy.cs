using System.Diagnostics;
using Distributed.Protocol.V1;
using Microsoft.Extensions.Logging;

namespace Distributed.Coordinator.Engine;

/// <summary>
/// Decides what dies with a worker, and what runs again: an item counts an attempt only when
/// nothing else can have killed its worker, is excused while workers are being killed from
/// outside (see <see cref="ChurnEvidence"/>), and fails with every attempt listed once it has used
/// up <see cref="EngineOptions.MaxRetries"/>.
/// </summary>
/// <remarks>Every member runs under the engine's lock.</remarks>
internal sealed class RetryPolicy(object engineLock, UnitBook book, FunctionCatalog functions, EngineOptions options, ILogger logger)
{
    private readonly ChurnEvidence _churn = new(options.Time, options.MaxRetries);

    // The pool is being torn down: what a lost worker held fails instead of running again.
    private bool _disabled;

    public void DisableLocked()
    {
        AssertLocked();
        _disabled = true;
    }

    /// <inheritdoc cref="ChurnEvidence.NoteOutsideDeath"/>
    public void NoteOutsideDeathLocked(string what)
    {
        AssertLocked();
        _churn.NoteOutsideDeath(what);
    }

    /// <summary>
    /// Judges what a lost worker held, in assignment order. Its slots take units in that order, and
    /// before a slot starts a function that has not yet run to its end in that process (a poison
    /// task never has), everything the worker owes is on the stream; so the units it was running
    /// are the first unanswered ones, one per slot. Each of those runs isolated from now on. An
    /// item counts an attempt only when it was the one item its unit had out: then nothing else can
    /// have been the cause. (Which item of a chunk was running is not known exactly; its items now
    /// run one at a time, which makes the next death exact.) An isolated item counts only if it had
    /// started: it waits for the coordinator to record its start before it runs.
    /// </summary>
    /// <param name="worker">The worker that was lost.</param>
    /// <param name="held">What it held.</param>
    /// <param name="reason">Why it was lost, for the task's history.</param>
    /// <param name="expected">It was asked to leave (retired, drained): its death is no evidence of churn.</param>
    /// <param name="deliveries">Collects what to tell afterwards.</param>
    public void JudgeLossLocked(WorkerSession worker, List<UnitRecord> held, string reason, bool expected, Deliveries deliveries)
    {
        AssertLocked();
        if (_disabled)
        {
            // The pool is being torn down: nothing it held runs again.
            var stopped = new ErrorInfo { Kind = ErrorKind.Broken, Message = $"Worker {worker.Id} was stopped while running the task ({reason}).", WorkerId = worker.Id };
            held.ForEach(record => book.FailOpenItemsLocked(record, stopped, deliveries));
        }
        else if (!worker.Recycled)
        {
            Blame(worker, held, reason, deliveries);
        }

        if (!expected && !worker.Recycled)
        {
            // Judged: now it is evidence for judging the next deaths.
            _churn.Remember(worker, held.Take(worker.Slots).ToArray());
        }
    }

    private void Blame(WorkerSession worker, List<UnitRecord> held, string reason, Deliveries deliveries)
    {
        string loss = $"worker {worker.Id} (pid {worker.Pid} on {worker.Host}): {reason}";
        foreach (var record in held.Take(worker.Slots))
        {
            // An isolated item counts only if its start was recorded: it runs only after that.
            bool ran = !record.Isolated || record.StartedIndex == record.SoleItemSent;
            record.Isolated = true;
            if (record.SoleItemSent is not (>= 0 and var item) || !record.IsOpen((uint)item) || !ran)
            {
                continue;
            }

            string? excuse = _churn.Excuse(record, (uint)item);
            int attempts = record.RecordLoss((uint)item, excuse is null ? loss : $"{loss} ({excuse})", counts: excuse is null);
            if (attempts > options.MaxRetries)
            {
                Log.TaskLost(logger, record.Client.Id, record.ClientUnitId, (uint)item, functions.NameOf(record.FunctionId), attempts, worker.Id);
                book.FailOpenItemsLocked(record, WorkerLostError(record, (uint)item, attempts, worker), deliveries, only: (uint)item);
            }
            else
            {
                book.Metrics.Retried("worker_lost");
            }
        }
    }

    private ErrorInfo WorkerLostError(UnitRecord record, uint item, int counted, WorkerSession lastWorker)
    {
        var losses = record.Losses(item);
        string function = functions.NameOf(record.FunctionId);
        string which = record.Count == 1 ? function : $"Item {item} of a Map chunk of {function}";
        string attempts = losses.Count == counted
            ? $"on each of its {counted} attempts (1 + {options.MaxRetries} retries)"
            : $"on each of its {losses.Count} attempts ({counted} counted against 1 + {options.MaxRetries} retries; the others died while workers were also being killed from outside)";
        return new ErrorInfo
        {
            Kind = ErrorKind.WorkerLost,
            Message = $"{which} was running on a worker that died, {attempts}: {string.Join("; ", losses.Select((loss, i) => $"attempt {i + 1}: {loss}"))}.",
            WorkerId = lastWorker.Id,
            Attempts = (uint)losses.Count,
        };
    }

    [Conditional("DEBUG")]
    private void AssertLocked() => Debug.Assert(Monitor.IsEntered(engineLock));
}
