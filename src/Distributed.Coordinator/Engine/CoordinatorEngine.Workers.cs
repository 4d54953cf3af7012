using System.Diagnostics;
using Distributed.Protocol.V1;

namespace Distributed.Coordinator.Engine;

internal sealed partial class CoordinatorEngine
{
    /// <summary>Admits a worker that registered; it is welcomed and given work at once.</summary>
    public WorkerSession RegisterWorker(Register registration, Action<string> abort)
    {
        var worker = new WorkerSession(registration, abort) { Budget = options.MaxTasksPerWorker };
        var deliveries = new Deliveries();
        lock (_sync)
        {
            var welcome = new Welcome
            {
                HeartbeatIntervalMs = (uint)options.HeartbeatInterval.TotalMilliseconds,
                Initializer = options.Initializer,
                AcceptAssemblyPaths = options.AcceptAssemblyPaths,
            };
            worker.Mailbox.Post(m => m.Welcome = welcome);
            if (_broken is not null || _stopping)
            {
                // A standalone worker that dialed again while this coordinator stops must not hold
                // up the shutdown with its stream: it leaves at once, and comes back to the next one.
                worker.Drain(coordinatorStopping: _stopping);
            }

            _workers.Add(worker);
            DispatchLocked(deliveries);
        }

        Log.WorkerRegistered(logger, worker.Id, worker.Host, worker.Pid, worker.Slots);
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
        }

        deliveries.Flush();
    }

    /// <summary>
    /// A worker left or was given up on. What it was running goes back to the front of the queue,
    /// except the item (or items, one per slot) it was possibly running when it died: each of those
    /// counts an attempt, and fails with a worker-lost error once it has used up its retries.
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
            BlameSuspectsLocked(worker, inFlight, reason, deliveries);

            // Back to the front, in their original order, so a retry does not wait behind new work.
            requeued = 0;
            for (int i = inFlight.Count - 1; i >= 0; i--)
            {
                var record = inFlight[i];
                record.Worker = null;
                record.StartedIndex = -1;
                if (record.OpenItems > 0 && _units.ContainsKey(record.Id))
                {
                    record.QueueNode = _queue.AddFirst(record);
                    requeued++;
                }
            }

            // Cancels that were waiting on this worker can be answered now: their items are queued again.
            foreach (var (id, pending) in _pendingCancels.Where(p => p.Value.Worker == worker).ToList())
            {
                _pendingCancels.Remove(id);
                bool canceled = pending.Record.IsOpen(pending.Index);
                if (canceled)
                {
                    pending.Record.Cancel(pending.Index);
                    ForgetIfClosedLocked(pending.Record, deliveries);
                }

                deliveries.CancelReply(pending.Reply, canceled || pending.Record.IsCanceled(pending.Index));
            }

            DispatchLocked(deliveries);
        }

        if (expected && requeued == 0)
        {
            Log.WorkerLeft(logger, worker.Id);
        }
        else
        {
            Log.WorkerLost(logger, worker.Id, reason, requeued);
            WorkerLost?.Invoke(worker, reason);
        }

        deliveries.Flush();
    }

    /// <summary>Gives up on every worker not heard from within the heartbeat timeout.</summary>
    public void CheckHeartbeats()
    {
        List<WorkerSession> silent;
        lock (_sync)
        {
            silent = _workers.Where(w => w.SinceHeard > options.HeartbeatTimeout).ToList();
        }

        foreach (var worker in silent)
        {
            string reason = $"no message for {worker.SinceHeard.TotalSeconds:F1} s (heartbeat timeout {options.HeartbeatTimeout.TotalSeconds:F1} s)";
            RemoveWorker(worker, reason);
            worker.Abort(reason);
        }
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

    private void BlameSuspectsLocked(WorkerSession worker, List<UnitRecord> inFlight, string reason, Deliveries deliveries)
    {
        Debug.Assert(Monitor.IsEntered(_sync));

        // Slots take units in assignment order, so the units possibly running are those it reported
        // progress on and, for slots left over, the first unfinished ones.
        var suspects = inFlight.Where(r => r.StartedIndex >= 0)
            .Concat(inFlight.Where(r => r.StartedIndex < 0))
            .Take(worker.Slots)
            .ToList();
        foreach (var record in suspects)
        {
            int item = NextOpenFrom(record, Math.Max(record.StartedIndex, 0));
            if (item < 0)
            {
                continue;
            }

            int attempts = record.BlameWorkerLoss((uint)item);
            if (_retriesDisabled || attempts > options.MaxRetries)
            {
                string why = _retriesDisabled
                    ? $"Worker {worker.Id} was stopped while running the task ({reason})."
                    : $"Worker {worker.Id} died while running the task ({reason}); it was tried {attempts} times.";
                var error = new ErrorInfo
                {
                    Kind = _retriesDisabled ? ErrorKind.Broken : ErrorKind.WorkerLost,
                    Message = why,
                    WorkerId = worker.Id,
                };
                SettleItemWithErrorLocked(record, (uint)item, error, deliveries);
            }
        }
    }

    private static int NextOpenFrom(UnitRecord record, int start)
    {
        for (int i = start; i < record.Count; i++)
        {
            if (record.IsOpen((uint)i))
            {
                return i;
            }
        }

        return -1;
    }

    private void SettleItemWithErrorLocked(UnitRecord record, uint index, ErrorInfo error, Deliveries deliveries)
    {
        var outcome = new UnitOutcome { UnitId = record.ClientUnitId };
        outcome.Errors.Add(new ItemError { Index = index, Error = error });
        for (uint i = 0; i < record.Count; i++)
        {
            if (i != index)
            {
                outcome.Skipped.Add(i);
            }
        }

        record.Settle(index);
        _failedItems++;
        deliveries.Outcome(record.Client, outcome);
        ForgetIfClosedLocked(record, deliveries);
    }

    private void AnswerCancelLocked(ulong requestId, bool canceled, Deliveries deliveries)
    {
        if (!_pendingCancels.Remove(requestId, out var pending))
        {
            return;
        }

        if (canceled)
        {
            pending.Record.Cancel(pending.Index);
        }

        deliveries.CancelReply(pending.Reply, canceled);
    }

    private void RecordProgressLocked(WorkerSession worker, UnitProgress progress, Deliveries deliveries)
    {
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
        deliveries.Running(record.Client, new UnitProgress { UnitId = record.ClientUnitId, StartedIndex = progress.StartedIndex });
    }

    private void SettleLocked(WorkerSession worker, UnitOutcome outcome, Deliveries deliveries)
    {
        if (!_units.TryGetValue(outcome.UnitId, out var record) || record.Worker != worker)
        {
            return;
        }

        LearnLocked(outcome, record.Message.FunctionId, record.Count);
        worker.Release(record);
        record.Worker = null;
        record.StartedIndex = -1;
        var skipped = outcome.Skipped.Count == 0 ? null : outcome.Skipped.ToHashSet();
        var failed = outcome.Errors.Count == 0 ? null : outcome.Errors.Select(e => e.Index).ToHashSet();
        for (uint index = 0; index < record.Count; index++)
        {
            if (skipped?.Contains(index) == true || !record.IsOpen(index))
            {
                continue;
            }

            record.Settle(index);
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
        if (record.OpenItems > 0)
        {
            // The worker skipped an item the coordinator still holds open: send it out again.
            record.QueueNode = _queue.AddFirst(record);
        }
        else
        {
            ForgetIfClosedLocked(record, deliveries);
        }
    }
}
