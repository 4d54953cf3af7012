using System.Diagnostics;
using Distributed.Coordinator.Dashboard;
using Distributed.Coordinator.Telemetry;
using Distributed.Coordinator.Wire;
using Distributed.Protocol.V1;
using Microsoft.Extensions.Logging;

namespace Distributed.Coordinator.Engine;

/// <summary>
/// The coordinator's heart: the queue, the workers, and the state of every submitted item. It is
/// the single source of truth for what became of a task, and it guarantees that each ends in
/// exactly one of: a result, its own exception, canceled, or an infrastructure error.
/// </summary>
/// <remarks>
/// This class is the engine's one door: each operation takes the lock, hands the work to the part
/// whose job it is, checks the invariants, and lets go. The parts: <see cref="UnitBook"/> (where
/// every unit is), <see cref="Dispatcher"/> (which worker runs what), <see cref="WorkerReports"/>
/// (starts and outcomes), <see cref="CancelRouter"/> (cancels and withdrawals),
/// <see cref="RetryPolicy"/> (what dies with a worker), <see cref="SilenceWatch"/> and
/// <see cref="NoWorkerWatch"/> (the watchdog's looks). One lock guards them all. Every operation
/// collects what it must tell clients in a <see cref="Deliveries"/> and hands it over after the
/// lock is released, so no client code, and no write to a stream, ever runs under the lock.
/// </remarks>
internal sealed class CoordinatorEngine : IDisposable
{
    private readonly object _sync = new();
    private readonly EngineOptions _options;
    private readonly ILogger _logger;
    private readonly FunctionCatalog _functions = new();
    private readonly List<WorkerSession> _workers = [];
    private readonly List<ClientSession> _clients = [];

    // The clock every peer's silence is measured on; it also tells whether this process ran (see SilenceWatch).
    private readonly HearingClock _hearing;
    private readonly UnitBook _book;
    private readonly Dispatcher _dispatcher;
    private readonly WorkerReports _reports;
    private readonly CancelRouter _cancels;
    private readonly RetryPolicy _retries;
    private readonly NoWorkerWatch _noWorkers;
    private readonly SilenceWatch _silences;
    private readonly CoordinatorMetrics _metrics;
    private readonly TaskJournal _journal;

    private ErrorInfo? _broken;

    // The coordinator itself is shutting down: workers that register now are sent away at once.
    private bool _stopping;

    public CoordinatorEngine(EngineOptions options, ILogger logger)
    {
        _options = options;
        _logger = logger;
        _hearing = new HearingClock(options.Time);
        _metrics = new CoordinatorMetrics(options.MeterFactory, ObserveForMetrics);
        _journal = new TaskJournal(_functions, options.Time);
        _book = new UnitBook(_sync, _metrics, _journal, options.Time);
        var runTimes = new RunTimeEstimates();
        _dispatcher = new Dispatcher(_sync, _book, _workers, _functions, runTimes, options.Time, logger);
        _reports = new WorkerReports(_sync, _book, runTimes);
        _cancels = new CancelRouter(_sync, _book);
        _retries = new RetryPolicy(_sync, _book, _functions, options, _logger);
        _noWorkers = new NoWorkerWatch(_sync, _book, _workers, _functions, options, logger);
        _silences = new SilenceWatch(_sync, _hearing, options, _workers, _clients, _noWorkers);
    }

    /// <summary>Raised (outside the lock) when a worker registered.</summary>
    public event Action<WorkerSession>? WorkerRegistered;

    /// <summary>Raised (outside the lock) when a worker is given up on, so its process can be dealt with.</summary>
    public event Action<WorkerSession, string>? WorkerLost;

    /// <summary>Raised (outside the lock) when a worker's initializer fails.</summary>
    public event Action<ErrorInfo>? InitializerFailed;

    public EngineOptions Options => _options;

    /// <summary>Lets go of the meter: its instruments end, and no listener keeps this engine alive.</summary>
    public void Dispose()
    {
        lock (_sync)
        {
            // The last samples reach whoever listens before the meter goes.
            _metrics.FlushSamples();
        }

        _metrics.Dispose();
    }

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

    // ---- Clients ----

    /// <param name="id">For logs.</param>
    /// <param name="sink">Where the client's news goes.</param>
    /// <param name="abort">Ends a remote client's stream when it falls silent; null for the embedded pool.</param>
    public ClientSession OpenClient(string id, IClientSink sink, Action<string>? abort = null)
    {
        var client = new ClientSession(id, sink, _hearing, abort) { OpenedAt = _options.Time.GetUtcNow() };
        lock (_sync)
        {
            _clients.Add(client);
        }

        return client;
    }

    /// <summary>A unit made in this process (the embedded pool's): its columns are encoded once, here, as a remote client's arrive.</summary>
    /// <inheritdoc cref="Submit(ClientSession, ForwardedUnit)"/>
    public void Submit(ClientSession client, CallUnit unit) => Submit(client, ForwardedUnits.From(unit));

    /// <summary>
    /// Queues a unit. Its unit id is the client's own; the engine takes the message over. A unit the
    /// engine cannot accept is refused at once, through the client's sink, never thrown at the
    /// client (see <see cref="UnitAdmission"/>).
    /// </summary>
    /// <exception cref="InvalidOperationException">The client was closed.</exception>
    public void Submit(ClientSession client, ForwardedUnit unit)
    {
        var deliveries = new Deliveries();
        lock (_sync)
        {
            if (client.Closed)
            {
                throw new InvalidOperationException("cannot schedule new futures after shutdown");
            }

            if (UnitAdmission.Problem(client, unit, _functions) is { } problem)
            {
                Log.UnitRejected(_logger, client.Id, unit.UnitId, problem);
                deliveries.Rejected(client, unit.UnitId, EngineErrors.Rejection(problem));

                // Once, not by the count it claims: a malformed unit's count is not to be trusted.
                _metrics.Submitted(1);
                _metrics.Completed("rejected");
            }
            else if (_broken is { } broken)
            {
                deliveries.Rejected(client, unit.UnitId, broken);
                _metrics.Submitted((int)unit.Count);
                _metrics.Completed("broken", (int)unit.Count);
            }
            else
            {
                unit.MaxOutcomeBytes = (uint)OutcomeLimit(client);
                _book.AdmitLocked(client, unit);
                _dispatcher.DispatchLocked(deliveries);
            }

            AssertInvariantsLocked();
        }

        deliveries.Flush();
    }

    /// <inheritdoc cref="CancelRouter.CancelLocked"/>
    public Task<bool> CancelAsync(ClientSession client, ulong clientUnitId, uint index)
    {
        var deliveries = new Deliveries();
        Task<bool> answer;
        lock (_sync)
        {
            answer = _cancels.CancelLocked(client, clientUnitId, index, deliveries);
            AssertInvariantsLocked();
        }

        deliveries.Flush();
        return answer;
    }

    /// <inheritdoc cref="CancelRouter.WithdrawLocked"/>
    public Task<Withdrawn> Withdraw(ClientSession client, Withdrawal request)
    {
        var deliveries = new Deliveries();
        Task<Withdrawn> answer;
        lock (_sync)
        {
            answer = _cancels.WithdrawLocked(client, request, deliveries);
            AssertInvariantsLocked();
        }

        deliveries.Flush();
        return answer;
    }

    /// <inheritdoc cref="CancelRouter.CancelByTokenLocked"/>
    public void CancelByToken(ClientSession client, IEnumerable<UnitIndex> items)
    {
        var deliveries = new Deliveries();
        lock (_sync)
        {
            foreach (var item in items)
            {
                _cancels.CancelByTokenLocked(client, item.UnitId, item.Index, deliveries);
            }

            AssertInvariantsLocked();
        }

        deliveries.Flush();
    }

    /// <summary>The client submits no more. With <paramref name="cancelQueued"/>, what it has not started is withdrawn and it is told so.</summary>
    public void CloseClient(ClientSession client, bool cancelQueued)
    {
        lock (_sync)
        {
            client.Closed = true;
        }

        if (cancelQueued)
        {
            _ = Withdraw(client, new Withdrawal { All = true }).ContinueWith(
                answer => client.Sink.OnWithdrawn(answer.Result),
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously | TaskContinuationOptions.OnlyOnRanToCompletion,
                TaskScheduler.Default);
        }
    }

    /// <summary>
    /// The client went away: what it had not started is canceled and freed (a worker holding some
    /// of it is told in one message), and it is forgotten. What was already running finishes; its
    /// outcomes have nowhere to go.
    /// </summary>
    /// <returns>How many queued items were canceled.</returns>
    public int DetachClient(ClientSession client)
    {
        var deliveries = new Deliveries();
        int canceled;
        lock (_sync)
        {
            client.Closed = true;
            canceled = _cancels.DropLocked(client, deliveries);
            _clients.Remove(client);
            AssertInvariantsLocked();
        }

        deliveries.Flush();
        return canceled;
    }

    /// <summary>The coordinator is shutting down: no client may submit any more.</summary>
    public void StopAccepting(bool cancelQueued)
    {
        List<ClientSession> clients;
        lock (_sync)
        {
            clients = [.. _clients];
        }

        clients.ForEach(client => CloseClient(client, cancelQueued));
    }

    /// <summary>Completes when the client has no open item left.</summary>
    public Task WhenIdleAsync(ClientSession client)
    {
        lock (_sync)
        {
            if (client.Units.Count == 0)
            {
                return Task.CompletedTask;
            }

            client.Idle ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return client.Idle.Task;
        }
    }

    // ---- Workers ----

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

    // ---- The pool ----

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
            foreach (var record in _book.AllLocked(_clients))
            {
                _book.FailOpenItemsLocked(record, error, deliveries);
            }

            _book.Queue.Clear();
            foreach (var client in _clients)
            {
                deliveries.Broken(client, error);
            }

            AssertInvariantsLocked();
        }

        Log.PoolBroken(_logger, error.Message);
        deliveries.Flush();
    }

    /// <summary>After this, a lost worker's items fail instead of running again: the pool is being torn down.</summary>
    public void DisableRetries()
    {
        lock (_sync)
        {
            _retries.DisableLocked();
        }
    }

    /// <summary>
    /// One look by the watchdog, every <see cref="EngineOptions.WatchdogPeriod"/>: gives up on
    /// workers and remote clients not heard from within their timeouts (see
    /// <see cref="SilenceWatch"/>), and on tasks that have waited the no-worker timeout without any
    /// worker to run them (see <see cref="NoWorkerWatch"/>).
    /// </summary>
    public void Tick()
    {
        long now = _options.Time.GetTimestamp();
        long? firstHeard = _hearing.TakeFirstHeard();
        var deliveries = new Deliveries();
        Silences silent;
        lock (_sync)
        {
            silent = _silences.LookLocked(now, firstHeard);
            _noWorkers.LookLocked(now, mayWait: _broken is null && !_stopping, deliveries);
            AssertInvariantsLocked();
        }

        if (silent.NotRunning > TimeSpan.Zero)
        {
            Log.CoordinatorDidNotRun(_logger, silent.NotRunning.TotalSeconds);
        }

        deliveries.Flush();
        foreach (var worker in silent.Workers)
        {
            string reason = $"it stopped responding: no message for {worker.SinceHeard.TotalSeconds:F1} s (heartbeat timeout {_options.HeartbeatTimeout.TotalSeconds:F1} s)";
            RemoveWorker(worker, reason);
            worker.Abort(reason);
        }

        foreach (var client in silent.Clients)
        {
            client.Abort($"no message for {client.SinceHeard.TotalSeconds:F1} s (client timeout {_options.ClientTimeout.TotalSeconds:F1} s)");
        }
    }

    // ---- What a person looks at ----

    /// <summary>Unhealthy while the pool is broken, or while tasks have waited for a worker longer than a short grace.</summary>
    public (bool Healthy, string Description) Health()
    {
        lock (_sync)
        {
            return HealthLocked();
        }
    }

    public StatusReply Status()
    {
        lock (_sync)
        {
            var reply = new StatusReply
            {
                QueuedItems = (ulong)_book.Queue.OpenItems(),
                RunningItems = (ulong)_workers.Sum(w => w.InFlight.Sum(r => r.OpenItems)),
                CompletedItems = _book.CompletedItems,
                FailedItems = _book.FailedItems,
                Clients = (uint)_clients.Count(c => !c.Closed),
                Broken = _broken?.Message ?? string.Empty,
                WithoutWorkersMs = (ulong)_noWorkers.WithoutWorkersLocked().TotalMilliseconds,
                NoWorkerTimeoutMs = _options.WaitsForeverForWorkers ? 0 : (ulong)_options.NoWorkerTimeout.TotalMilliseconds,
            };
            (reply.Healthy, reply.Health) = HealthLocked();
            reply.Workers.AddRange(_workers.Select(w => new WorkerStatus
            {
                WorkerId = w.Id,
                Host = w.Host,
                Pid = w.Pid,
                Slots = (uint)w.Slots,
                AssignedItems = w.AssignedItems,
                CompletedItems = w.CompletedItems,
                FailedItems = w.FailedItems,
                RunningItems = (ulong)w.InFlight.Sum(r => r.OpenItems),
                SinceHeardMs = (ulong)Math.Max(0, w.SinceHeard.TotalMilliseconds),
                WorkingSetBytes = w.Memory?.WorkingSetBytes ?? 0,
                ManagedHeapBytes = w.Memory?.ManagedHeapBytes ?? 0,
            }));
            return reply;
        }
    }

    /// <summary>
    /// What the dashboard shows, at this moment: the status, the clients, and the journal of
    /// finished units, failures and throughput. Each look also samples the queue for the plot of
    /// its depth (the dashboard looks every second).
    /// </summary>
    public EngineView DashboardView()
    {
        lock (_sync)
        {
            var status = Status();
            _journal.Sample(status.QueuedItems, status.RunningItems);
            var clients = _clients.Where(c => !c.Closed).Select(c => new EngineView.Client(c.Id, c.Units.Count, c.OpenedAt, c.SinceHeard)).ToList();
            return new EngineView(_options.Time.GetUtcNow(), status, clients, _journal.Take());
        }
    }

    /// <summary>Called by a listener as it collects: the histograms' gathered samples go to it first (see <see cref="Telemetry.SampleBuffer"/>).</summary>
    private CoordinatorMetrics.Snapshot ObserveForMetrics()
    {
        lock (_sync)
        {
            _metrics.FlushSamples();
            return new CoordinatorMetrics.Snapshot(
                (ulong)_book.Queue.OpenItems(),
                (ulong)_workers.Sum(w => w.InFlight.Sum(r => r.OpenItems)),
                _workers.Count,
                _clients.Count(c => !c.Closed));
        }
    }

    private (bool Healthy, string Description) HealthLocked() =>
        _broken is { } broken ? (false, broken.Message) : _noWorkers.HealthLocked();

    /// <summary>The largest outcome message that can reach the client: its own limit and the coordinator's.</summary>
    private int OutcomeLimit(ClientSession client) =>
        client.MaxOutcomeBytes > 0 ? Math.Min(client.MaxOutcomeBytes, _options.MaxMessageBytes) : _options.MaxMessageBytes;

    [Conditional("DEBUG")]
    private void AssertInvariantsLocked() => _book.AssertInvariantsLocked(_workers, _clients);
}
