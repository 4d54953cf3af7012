using System.Diagnostics;
using Distributed.Protocol;
using Distributed.Protocol.V1;

namespace Distributed.Coordinator.Engine;

internal sealed partial class CoordinatorEngine
{
    /// <summary>Admits a worker that registered; it is welcomed and given work at once.</summary>
    public WorkerSession RegisterWorker(Register registration, Action<string> abort)
    {
        var worker = new WorkerSession(registration, abort, _hearing, options.MaxMessageBytes) { Budget = options.MaxTasksPerWorker };
        var deliveries = new Deliveries();
        lock (_sync)
        {
            var welcome = new Welcome
            {
                HeartbeatIntervalMs = (uint)options.HeartbeatInterval.TotalMilliseconds,
                Initializer = options.Initializer,
                AcceptAssemblyPaths = options.AcceptAssemblyPaths,
                MaxMessageBytes = (uint)worker.MaxMessageBytes,
            };
            worker.Mailbox.Post(m => m.Welcome = welcome);
            if (_broken is not null || _stopping)
            {
                // A standalone worker that dialed again while this coordinator stops must not hold
                // up the shutdown with its stream: it leaves at once, and comes back to the next one.
                worker.Drain(coordinatorStopping: _stopping);
            }

            _workers.Add(worker);
            _workerTrouble = null;
            _noWorkersSince = null;
            DispatchLocked(deliveries);
            AssertInvariantsLocked();
        }

        // What the worker can run: the first thing to look at when its calls fail to find their method.
        string assemblies = registration.Assemblies.Count == 0 ? "none (it loads those the pool sends)" : string.Join(", ", registration.Assemblies);
        Log.WorkerRegistered(logger, worker.Id, worker.Host, worker.Pid, worker.Slots, assemblies);
        WorkerRegistered?.Invoke(worker);
        deliveries.Flush();
        return worker;
    }

    /// <summary>Takes in one message from a worker.</summary>
    public void OnWorkerMessage(WorkerSession worker, WorkerMessage message)
    {
        worker.Heard();
        if (message.InitializerFailed is { } failed)
        {
            var error = failed.Error ?? new ErrorInfo { Message = "unknown error" };
            InitializerFailed?.Invoke(error);
            Break(new ErrorInfo
            {
                Kind = ErrorKind.Broken,
                Type = error.Type,
                Message = $"The process pool's initializer failed on worker {worker.Id}: {error.Type}: {error.Message}",
                StackTrace = error.StackTrace,
                WorkerId = worker.Id,
            });
            return;
        }

        if (message.CancelReplies.Count == 0 && message.Progress.Count == 0 && message.Outcomes.Count == 0)
        {
            return;
        }

        var deliveries = new Deliveries();
        lock (_sync)
        {
            if (worker.Removed)
            {
                // A worker already given up on: its units run elsewhere now; what it says is stale.
                return;
            }

            // Replies first: the worker queued each before the outcome that lists the item as skipped.
            foreach (var reply in message.CancelReplies)
            {
                AnswerCancelLocked(reply.RequestId, reply.Canceled, deliveries);
            }

            foreach (var progress in message.Progress)
            {
                RecordProgressLocked(worker, progress, deliveries);
            }

            foreach (var outcome in message.Outcomes)
            {
                SettleLocked(worker, outcome, deliveries);
            }

            if (worker.Budget == 0 && worker.InFlight.Count == 0 && !worker.Draining)
            {
                worker.Drain(coordinatorStopping: false);
            }

            DispatchLocked(deliveries);
            AssertInvariantsLocked();
        }

        deliveries.Flush();
    }

    /// <summary>The worker's stream has ended: it takes no more work while its end is looked into, before <see cref="RemoveWorker"/>.</summary>
    public void StopAssigning(WorkerSession worker)
    {
        lock (_sync)
        {
            worker.Closing = true;
        }
    }

    /// <summary>
    /// A worker left or was given up on. What it held goes back to the front of the queue, except
    /// what dies with it: an item it was running counts an attempt, and fails with a worker-lost
    /// error listing every attempt once it has used up its retries.
    /// </summary>
    public void RemoveWorker(WorkerSession worker, string reason, bool expected = false)
    {
        var deliveries = new Deliveries();
        int requeued;
        lock (_sync)
        {
            if (worker.Removed)
            {
                return;
            }

            worker.Removed = true;
            _workers.Remove(worker);
            var inFlight = worker.InFlight.ToList();
            worker.InFlight.Clear();
            BlameLocked(worker, inFlight, reason, deliveries);
            if (!expected)
            {
                // Judged: now it is evidence for judging the next deaths.
                _churn.Remember(worker, inFlight.Take(worker.Slots).ToArray());
            }

            // Back to the front, in their original order, so a retry does not wait behind new work.
            requeued = 0;
            for (int i = inFlight.Count - 1; i >= 0; i--)
            {
                var record = inFlight[i];
                record.Worker = null;
                record.KeepStarted();
                record.StartedIndex = -1;
                if (record.OpenItems > 0 && _units.ContainsKey(record.Id))
                {
                    _queue.AddFirst(record);
                    requeued++;
                }
                else
                {
                    // Every item was settled by partial outcomes before the last part came: nothing
                    // is left to run, so it is done (and its client no longer waits for it).
                    ForgetIfClosedLocked(record, deliveries);
                }
            }

            // Cancels that were waiting on this worker can be answered now: their items are queued again.
            foreach (var (id, pending) in _pendingCancels.Where(p => p.Value.Worker == worker).ToList())
            {
                _pendingCancels.Remove(id);
                AnswerCancelLocked(pending, pending.Record.IsOpen(pending.Index), deliveries);
            }

            DispatchLocked(deliveries);
            AssertInvariantsLocked();
        }

        if (expected && requeued == 0)
        {
            Log.WorkerLeft(logger, worker.Id);
        }
        else
        {
            Log.WorkerLost(logger, worker.Id, worker.Pid, reason, requeued);
            WorkerLost?.Invoke(worker, reason);
        }

        deliveries.Flush();
    }

    /// <summary>Asks every worker to finish what it has and leave.</summary>
    /// <param name="coordinatorStopping">See <see cref="WorkerSession.Drain"/>.</param>
    public void DrainAll(bool coordinatorStopping = false)
    {
        lock (_sync)
        {
            _stopping |= coordinatorStopping;
            foreach (var worker in _workers.Where(w => !w.Draining))
            {
                worker.Drain(coordinatorStopping);
            }
        }
    }

    /// <summary>
    /// Decides what dies with a worker. Its slots take units in assignment order, and before a
    /// slot starts a function that has not yet run to its end in that process (a poison task never
    /// has), everything the worker owes is on the stream; so the units it was running are the
    /// first unanswered ones, one per slot. Each of those runs isolated from now on. An item
    /// counts an attempt only when it was the one item its unit had out: then nothing else can have
    /// been the cause. (Which item of a chunk was running is not known exactly; its items now run
    /// one at a time, which makes the next death exact.) An isolated item counts only if it had
    /// started: it waits for the coordinator to record its start before it runs.
    /// </summary>
    private void BlameLocked(WorkerSession worker, List<UnitRecord> inFlight, string reason, Deliveries deliveries)
    {
        Debug.Assert(Monitor.IsEntered(_sync));
        if (_retriesDisabled)
        {
            // The pool is being torn down: nothing it held runs again.
            var stopped = new ErrorInfo { Kind = ErrorKind.Broken, Message = $"Worker {worker.Id} was stopped while running the task ({reason}).", WorkerId = worker.Id };
            inFlight.ForEach(record => FailOpenItemsLocked(record, stopped, deliveries));
            return;
        }

        string loss = $"worker {worker.Id} (pid {worker.Pid} on {worker.Host}): {reason}";
        foreach (var record in inFlight.Take(worker.Slots))
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
                FailOpenItemsLocked(record, WorkerLostError(record, (uint)item, attempts, worker), deliveries, only: (uint)item);
            }
        }
    }

    private ErrorInfo WorkerLostError(UnitRecord record, uint item, int counted, WorkerSession lastWorker)
    {
        var losses = record.Losses(item);
        string which = record.Count == 1 ? FunctionName(record) : $"Item {item} of a Map chunk of {FunctionName(record)}";
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

    private void AnswerCancelLocked(ulong requestId, bool canceled, Deliveries deliveries)
    {
        Debug.Assert(Monitor.IsEntered(_sync));
        if (_pendingCancels.Remove(requestId, out var pending))
        {
            AnswerCancelLocked(pending, canceled, deliveries);
        }
    }

    /// <summary>
    /// Settles a cancel that waited on a worker: the item is canceled if it never started. A
    /// single Cancel() hears through its reply; a withdrawal lists the item, and is answered once
    /// its last worker has answered.
    /// </summary>
    private void AnswerCancelLocked(PendingCancel pending, bool canceled, Deliveries deliveries)
    {
        Debug.Assert(Monitor.IsEntered(_sync));
        var record = pending.Record;
        if (canceled && record.IsOpen(pending.Index))
        {
            record.Cancel(pending.Index);
            pending.Withdrawal?.Answer.Items.Add(new UnitIndex { UnitId = record.ClientUnitId, Index = pending.Index });
            ForgetIfClosedLocked(record, deliveries);
        }

        if (pending.Reply is { } reply)
        {
            deliveries.CancelReply(reply, record.IsCanceled(pending.Index));
        }

        if (pending.Withdrawal is { } withdrawal && --withdrawal.Outstanding == 0)
        {
            deliveries.Answer(withdrawal.Done, withdrawal.Answer);
        }
    }

    private void RecordProgressLocked(WorkerSession worker, UnitProgress progress, Deliveries deliveries)
    {
        Debug.Assert(Monitor.IsEntered(_sync));
        if (!_units.TryGetValue(progress.UnitId, out var record) || record.Worker != worker)
        {
            return;
        }

        int started = (int)progress.StartedIndex;
        if (started <= record.StartedIndex)
        {
            return;
        }

        record.StartedIndex = started;
        if (record.Isolated)
        {
            // Recorded: the item may run now (see MessageFor).
            worker.Mailbox.Post(m => m.Started.Add(new UnitProgress { UnitId = record.Id, StartedIndex = progress.StartedIndex }));
        }

        deliveries.Running(record.Client, new UnitProgress { UnitId = record.ClientUnitId, StartedIndex = progress.StartedIndex });
    }

    /// <summary>
    /// Settles what an outcome reports. A partial outcome (a big one, cut to fit the stream)
    /// settles its items and leaves the unit with its worker; the last part releases it.
    /// </summary>
    private void SettleLocked(WorkerSession worker, UnitOutcome outcome, Deliveries deliveries)
    {
        Debug.Assert(Monitor.IsEntered(_sync));
        if (!_units.TryGetValue(outcome.UnitId, out var record) || record.Worker != worker)
        {
            return;
        }

        var range = OutcomeRange.Of(outcome, record.Count);
        if (!outcome.Partial)
        {
            _runTimes.Learn(outcome, record.FunctionId, record.Count);
            worker.Release(record);
            record.Worker = null;
        }

        var skipped = outcome.Skipped.Count == 0 ? null : outcome.Skipped.ToHashSet();
        var failed = outcome.Errors.Count == 0 ? null : outcome.Errors.Select(e => e.Index).ToHashSet();
        for (uint index = (uint)range.From; index < range.To; index++)
        {
            if (skipped?.Contains(index) == true || !record.IsOpen(index))
            {
                continue;
            }

            record.SettleRun(index);
            worker.CompletedItems++;
            if (failed?.Contains(index) == true)
            {
                _failedItems++;
            }
            else
            {
                _completedItems++;
            }
        }

        outcome.UnitId = record.ClientUnitId;
        deliveries.Outcome(record.Client, outcome);
        if (outcome.Partial)
        {
            // Still its worker's: the last part releases it, and forgets it if nothing is left open.
            return;
        }

        if (record.OpenItems > 0)
        {
            // The worker skipped an item the coordinator still holds open (or ran the one item an
            // isolated unit sends at a time): send it out again.
            record.KeepStarted();
            record.StartedIndex = -1;
            _queue.AddFirst(record);
        }
        else
        {
            record.StartedIndex = -1;
            ForgetIfClosedLocked(record, deliveries);
        }
    }
}
