using Distributed.Protocol.V1;

namespace Distributed.Coordinator.Engine;

/// <summary>The engine's worker operations: registering, their messages, draining, recycling, losing them.</summary>
internal sealed partial class CoordinatorEngine
{
    /// <summary>Admits a worker that registered; it is welcomed and given work at once.</summary>
    public WorkerSession RegisterWorker(Register registration, Action<string> abort)
    {
        var worker = new WorkerSession(registration, abort, _hearing, _options.MaxMessageBytes) { Budget = _options.MaxTasksPerWorker };
        var deliveries = new Deliveries();
        lock (_sync)
        {
            var welcome = new Welcome
            {
                HeartbeatIntervalMs = (uint)_options.HeartbeatInterval.TotalMilliseconds,
                Initializer = _options.Initializer,
                AcceptAssemblyPaths = _options.AcceptAssemblyPaths,
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
            _noWorkers.WorkerRegisteredLocked();
            _dispatcher.DispatchLocked(deliveries);
            AssertInvariantsLocked();
        }

        // What the worker can run: the first thing to look at when its calls fail to find their method.
        string assemblies = registration.Assemblies.Count == 0 ? "none (it loads those the pool sends)" : string.Join(", ", registration.Assemblies);
        Log.WorkerRegistered(_logger, worker.Id, worker.Host, worker.Pid, worker.Slots, assemblies);
        WorkerRegistered?.Invoke(worker);
        deliveries.Flush();
        return worker;
    }

    /// <summary>Takes in one message from a worker.</summary>
    public void OnWorkerMessage(WorkerSession worker, WorkerMessage message)
    {
        worker.Heard();
        if (message.Memory is { } memory)
        {
            worker.Memory = memory;
        }

        if (message.Leaving)
        {
            Leave(worker);
        }

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
            if (message.Recycling is { } alone)
            {
                Recycle(worker, alone);
            }

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
                _cancels.AnswerLocked(reply.RequestId, reply.Canceled, deliveries);
            }

            foreach (var progress in message.Progress)
            {
                _reports.ProgressLocked(worker, progress, deliveries);
            }

            foreach (var outcome in message.Outcomes)
            {
                _reports.OutcomeLocked(worker, outcome, deliveries);
            }

            if (worker.Budget == 0 && worker.InFlight.Count == 0 && !worker.Draining)
            {
                worker.Drain(coordinatorStopping: false);
            }

            _dispatcher.DispatchLocked(deliveries);
            AssertInvariantsLocked();
        }

        deliveries.Flush();
        if (message.Recycling is { } recycling)
        {
            // Its last word, after the outcomes that came with it.
            Recycle(worker, recycling);
        }
    }

    /// <summary>
    /// A worker's host is stopping (a container's SIGTERM): it is drained like a worker retired,
    /// given nothing more while it finishes what it holds; what is queued goes to the others.
    /// </summary>
    private void Leave(WorkerSession worker)
    {
        lock (_sync)
        {
            if (worker.Draining || worker.Removed)
            {
                return;
            }

            worker.Drain(coordinatorStopping: false);
        }

        Log.WorkerLeaving(_logger, worker.Id);
    }

    /// <summary>
    /// A worker ends itself to stop a task that ran past its timeout and grace: that item fails
    /// with its TIMEOUT error, and everything else the worker held runs again elsewhere at once,
    /// charged nothing. Its stream is ended, and an embedded pool's process stopped and replaced.
    /// </summary>
    private void Recycle(WorkerSession worker, Recycling recycling)
    {
        var deliveries = new Deliveries();
        string reason;
        lock (_sync)
        {
            if (worker.Removed)
            {
                return;
            }

            var error = recycling.Error ?? new ErrorInfo { Type = typeof(TimeoutException).FullName!, Message = "The task ran longer than its timeout." };
            error.Kind = ErrorKind.Timeout;
            error.WorkerId = worker.Id;
            reason = $"recycled to stop a task that ran past its timeout ({error.Message})";
            if (_book.HeldBy(worker, recycling.UnitId) is { } record && record.IsOpen(recycling.Index))
            {
                _book.FailOpenItemsLocked(record, error, deliveries, only: recycling.Index);
            }

            worker.Recycled = true;
            AssertInvariantsLocked();
        }

        deliveries.Flush();
        RemoveWorker(worker, reason, expected: true);
        worker.Abort(reason);
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
    /// what dies with it (see <see cref="RetryPolicy"/>).
    /// </summary>
    public void RemoveWorker(WorkerSession worker, string reason, bool expected = false)
    {
        var deliveries = new Deliveries();
        int requeued = 0;
        lock (_sync)
        {
            if (worker.Removed)
            {
                return;
            }

            worker.Removed = true;
            _workers.Remove(worker);
            var held = worker.ReleaseAll();
            _retries.JudgeLossLocked(worker, held, reason, expected, deliveries);

            // Back to the front, in their original order, so a retry does not wait behind new work.
            for (int i = held.Count - 1; i >= 0; i--)
            {
                _book.ReturnLocked(held[i], deliveries);
                requeued += held[i].Queued ? 1 : 0;
            }

            // Cancels that were waiting on this worker can be answered now: their items are queued again.
            _cancels.AnswerForLocked(worker, deliveries);
            _dispatcher.DispatchLocked(deliveries);
            AssertInvariantsLocked();
        }

        if (expected && requeued == 0 && !worker.Recycled)
        {
            Log.WorkerLeft(_logger, worker.Id);
        }
        else
        {
            Log.WorkerLost(_logger, worker.Id, worker.Pid, reason, requeued);
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

    /// <summary>A worker process was killed before it registered: no task can have done that (see <see cref="ChurnEvidence"/>).</summary>
    public void NoteOutsideDeath(string what)
    {
        lock (_sync)
        {
            _retries.NoteOutsideDeathLocked(what);
        }
    }

    /// <summary>Says why no worker comes, for the messages of tasks that fail waiting for one; cleared when one registers.</summary>
    public void NoteWorkerTrouble(string trouble)
    {
        lock (_sync)
        {
            _noWorkers.NoteTroubleLocked(trouble);
        }
    }
}
