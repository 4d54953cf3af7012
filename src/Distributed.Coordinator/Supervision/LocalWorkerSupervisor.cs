using System.ComponentModel;
using System.Diagnostics;
using Distributed.Coordinator.Engine;
using Microsoft.Extensions.Logging;

namespace Distributed.Coordinator.Supervision;

/// <summary>
/// Starts the local worker processes, replaces any that exits (a crash, a kill, a task that called
/// Environment.Exit, a worker retired after its task budget) for as long as the pool lives, with a
/// capped backoff while replacements die before registering, and stops them all at the end. It
/// gives up, and reports that workers cannot be started at all, only on evidence (see
/// <see cref="WorkerExitVerdict"/>): the program is missing, the initializer failed, or workers
/// keep failing to start and say why.
/// </summary>
internal sealed partial class LocalWorkerSupervisor(SupervisorSettings settings, ILogger logger) : IWorkerExits
{
    // Start failures with evidence, in a row (no worker registering between), that mean workers cannot start here.
    private const int StartFailuresBeforeGivingUp = 3;

    // How many ended workers are remembered, for a stream that breaks after its process is gone.
    private const int RememberedExits = 64;

    private static readonly TimeSpan s_firstBackoff = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan s_maxBackoff = TimeSpan.FromSeconds(2);

    // How long an exit waits for the rest of the process's standard error.
    private static readonly TimeSpan s_errorsPatience = TimeSpan.FromSeconds(1);

    private readonly object _lock = new();
    private readonly Dictionary<string, LocalWorker> _running = [];
    private readonly Dictionary<string, string> _exits = [];
    private readonly Queue<string> _exitOrder = new();
    private readonly TaskCompletionSource _allExited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _nextWorker;
    private int _exitsBeforeRegistering;
    private int _startFailuresInARow;
    private bool _stopping;

    /// <summary>Raised once, with the reason, when worker processes cannot be started at all.</summary>
    public event Action<string>? CannotStartWorkers;

    /// <summary>Raised when a worker exited before it registered, with how: why no worker comes, for the messages that say so.</summary>
    public event Action<string>? Trouble;

    /// <summary>
    /// Raised when a worker process was killed by a signal before it registered, with how: no task
    /// can have done that, so workers are being killed from outside (see ChurnEvidence).
    /// </summary>
    public event Action<string>? KilledFromOutside;

    /// <summary>The ids of the worker processes running now.</summary>
    public IReadOnlyList<int> ProcessIds
    {
        get
        {
            lock (_lock)
            {
                return _running.Values.Select(w => w.Pid).ToList();
            }
        }
    }

    /// <summary>
    /// Wires the supervisor to the engine its workers serve: it learns which registered and which
    /// were given up on (to kill), and the engine learns how each process ended and why none comes.
    /// </summary>
    public void Attach(CoordinatorEngine engine)
    {
        engine.WorkerExits = this;
        engine.WorkerRegistered += worker => OnRegistered(worker.Id);
        engine.WorkerLost += (worker, _) => OnLost(worker.Id);
        Trouble += engine.NoteWorkerTrouble;
        KilledFromOutside += engine.NoteOutsideDeath;
    }

    public void Start()
    {
        lock (_lock)
        {
            for (int i = 0; i < settings.Count && !_stopping; i++)
            {
                StartWorkerLocked();
            }
        }
    }

    /// <summary>The engine admitted the worker with this id.</summary>
    public void OnRegistered(string workerId)
    {
        lock (_lock)
        {
            if (_running.TryGetValue(workerId, out var worker))
            {
                worker.Registered = true;
                _exitsBeforeRegistering = 0;
                _startFailuresInARow = 0;
            }
        }
    }

    /// <summary>The engine gave up on a worker (no heartbeat): if it is ours, it is killed, and replaced.</summary>
    public void OnLost(string workerId)
    {
        LocalWorker? worker;
        lock (_lock)
        {
            worker = _running.GetValueOrDefault(workerId);
        }

        KillQuietly(worker?.Process);
    }

    /// <inheritdoc/>
    public Task<string>? WhenExited(string workerId)
    {
        lock (_lock)
        {
            if (_running.TryGetValue(workerId, out var worker))
            {
                return worker.Exit.Task;
            }

            return _exits.TryGetValue(workerId, out var exit) ? Task.FromResult(exit) : null;
        }
    }

    /// <summary>Lets the workers leave (they were told to drain), and kills any still there after <paramref name="grace"/>.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        lock (_lock)
        {
            _stopping = true;
            if (_running.Count == 0)
            {
                _allExited.TrySetResult();
            }
        }

        if (await Task.WhenAny(_allExited.Task, Task.Delay(grace, settings.Time)).ConfigureAwait(false) != _allExited.Task)
        {
            Kill();
        }

        await _allExited.Task.ConfigureAwait(false);
    }

    /// <summary>Asks every worker process to terminate (SIGTERM) and stops restarting them.</summary>
    public void Terminate() => Stop(Signals.Terminate);

    /// <summary>Kills every worker process (SIGKILL) and stops restarting them.</summary>
    public void Kill() => Stop(KillQuietly);

    private static void KillQuietly(Process? process)
    {
        try
        {
            process?.Kill(entireProcessTree: true);
        }
        catch (Exception error) when (error is InvalidOperationException or Win32Exception)
        {
            // Already gone.
        }
    }

    private void Stop(Action<Process> stop)
    {
        List<Process> running;
        lock (_lock)
        {
            _stopping = true;
            running = _running.Values.Select(w => w.Process).ToList();
            if (running.Count == 0)
            {
                _allExited.TrySetResult();
            }
        }

        running.ForEach(stop);
    }

    private void StartWorkerLocked()
    {
        Debug.Assert(Monitor.IsEntered(_lock));
        string id = $"{settings.IdPrefix}-{_nextWorker++}";
        if (!File.Exists(settings.ProgramPath))
        {
            GiveUpLocked($"the worker program {settings.ProgramPath} does not exist");
            return;
        }

        ProcessStartInfo start;
        try
        {
            start = WorkerProgram.StartInfo(settings.ProgramPath);
        }
        catch (Exception error) when (error is InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            GiveUpLocked($"the worker program {settings.ProgramPath} cannot be run by this self-contained app: {error.Message}");
            return;
        }

        start.UseShellExecute = false;
        start.RedirectStandardError = true;
        foreach (var argument in new[] { "--coordinator", settings.Coordinator, "--worker-id", id, "--slots", $"{settings.Slots}" }.Concat(settings.ExtraArguments))
        {
            start.ArgumentList.Add(argument);
        }

        // Secrets go by environment, never by command line, which every local user can read.
        foreach (var (key, value) in settings.Environment)
        {
            start.Environment[key] = value;
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var worker = new LocalWorker(id, process);
        process.ErrorDataReceived += (_, line) => worker.OnErrorLine(line.Data);
        process.Exited += (_, _) => OnExited(worker);
        try
        {
            process.Start();
            worker.Pid = process.Id;
            _running[id] = worker;
            process.BeginErrorReadLine();
            Log.WorkerStarted(logger, id, worker.Pid);
        }
        catch (Exception error) when (error is Win32Exception or InvalidOperationException)
        {
            process.Dispose();
            GiveUpLocked($"the worker program could not be started ({start.FileName} {settings.ProgramPath}): {error.Message}");
        }
    }

    private void OnExited(LocalWorker worker)
    {
        // The process may end before its last words are read; they are the evidence, so wait for them (briefly).
        worker.ErrorsClosed.Wait(s_errorsPatience);
        int exitCode = worker.Process.ExitCode;
        string? trouble = null;
        string? killedFromOutside = null;
        lock (_lock)
        {
            // StartWorkerLocked holds the lock across Start, so a process that exits at once is listed
            // by the time this runs; one that is not listed never started.
            if (!_running.Remove(worker.Id))
            {
                return;
            }

            var verdict = WorkerExitVerdict.Judge(worker.Registered, exitCode, worker.Tail, settings.InitializerFailedExitCode);
            string exit = Signals.DescribeExit(exitCode);
            RememberExitLocked(worker.Id, exit);
            worker.Exit.TrySetResult(exit);
            worker.Process.Dispose();
            if (_stopping)
            {
                if (_running.Count == 0)
                {
                    _allExited.TrySetResult();
                }

                return;
            }

            TimeSpan delay = TimeSpan.Zero;
            switch (verdict.Kind)
            {
                case WorkerExitKind.InitializerFailed:
                    // The engine breaks the pool when the worker's report arrives; this covers a report lost with the process.
                    Log.WorkerExited(logger, worker.Id, worker.Pid, verdict.Evidence, "giving up");
                    GiveUpLocked($"the pool's initializer failed in worker process {worker.Pid} ({verdict.Evidence})");
                    return;
                case WorkerExitKind.StartFailure when ++_startFailuresInARow >= StartFailuresBeforeGivingUp:
                    Log.WorkerExited(logger, worker.Id, worker.Pid, verdict.Evidence, "giving up");
                    GiveUpLocked($"{_startFailuresInARow} worker processes in a row could not start; the last ended with {verdict.Evidence}");
                    return;
                case WorkerExitKind.Churn when worker.Registered:
                    _exitsBeforeRegistering = 0;
                    break;
                default:
                    delay = Backoff(++_exitsBeforeRegistering);
                    trouble = $"worker process {worker.Pid} ended with {verdict.Evidence}";
                    killedFromOutside = verdict.Kind == WorkerExitKind.Churn && !worker.Registered ? trouble : null;
                    break;
            }

            string decision = $"starting a replacement in {delay.TotalMilliseconds:F0} ms";
            if (worker.Registered && exitCode == 0)
            {
                // A worker that was retired (its task budget) or drained: the ordinary case.
                Log.WorkerLeft(logger, worker.Id, worker.Pid, decision);
            }
            else
            {
                Log.WorkerExited(logger, worker.Id, worker.Pid, verdict.Evidence, decision);
            }

            ScheduleReplacementLocked(delay);
        }

        if (trouble is not null)
        {
            Trouble?.Invoke(trouble);
        }

        if (killedFromOutside is not null)
        {
            KilledFromOutside?.Invoke(killedFromOutside);
        }
    }

    /// <summary>None for a worker that served; then doubling from 50 ms to 2 s while replacements keep dying before they register.</summary>
    private static TimeSpan Backoff(int exitsBeforeRegistering) =>
        TimeSpan.FromTicks(Math.Min(s_maxBackoff.Ticks, s_firstBackoff.Ticks << Math.Min(exitsBeforeRegistering - 1, 16)));

    private void ScheduleReplacementLocked(TimeSpan delay)
    {
        Debug.Assert(Monitor.IsEntered(_lock));
        if (delay <= TimeSpan.Zero)
        {
            StartWorkerLocked();
            return;
        }

        _ = Task.Delay(delay, settings.Time).ContinueWith(
            _ =>
            {
                lock (_lock)
                {
                    if (!_stopping)
                    {
                        StartWorkerLocked();
                    }
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    private void RememberExitLocked(string workerId, string exit)
    {
        Debug.Assert(Monitor.IsEntered(_lock));
        _exits[workerId] = exit;
        _exitOrder.Enqueue(workerId);
        if (_exitOrder.Count > RememberedExits)
        {
            _exits.Remove(_exitOrder.Dequeue());
        }
    }

    private void GiveUpLocked(string reason)
    {
        Debug.Assert(Monitor.IsEntered(_lock));
        _stopping = true;
        if (_running.Count == 0)
        {
            _allExited.TrySetResult();
        }

        var handlers = CannotStartWorkers;
        CannotStartWorkers = null;
        if (handlers is not null)
        {
            // Outside this lock: the pool breaks and fails futures in response.
            ThreadPool.UnsafeQueueUserWorkItem(_ => handlers(reason), null);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 20, Level = LogLevel.Debug, Message = "Started local worker {WorkerId} as process {Pid}")]
        public static partial void WorkerStarted(ILogger logger, string workerId, int pid);

        [LoggerMessage(EventId = 21, Level = LogLevel.Warning, Message = "Local worker {WorkerId} (pid {Pid}) ended with {Exit}; {Decision}")]
        public static partial void WorkerExited(ILogger logger, string workerId, int pid, string exit, string decision);

        [LoggerMessage(EventId = 22, Level = LogLevel.Information, Message = "Local worker {WorkerId} (pid {Pid}) left; {Decision}")]
        public static partial void WorkerLeft(ILogger logger, string workerId, int pid, string decision);
    }
}

/// <summary>What the supervisor starts.</summary>
/// <param name="Count">How many workers to keep running.</param>
/// <param name="ProgramPath">The worker program (worker.dll).</param>
/// <param name="Coordinator">The address the workers dial.</param>
/// <param name="IdPrefix">Workers are named {prefix}-{n}.</param>
/// <param name="ExtraArguments">More command-line arguments for every worker.</param>
/// <param name="InitializerFailedExitCode">The exit code of a worker whose initializer failed.</param>
internal sealed record SupervisorSettings(
    int Count,
    string ProgramPath,
    string Coordinator,
    string IdPrefix,
    IReadOnlyList<string> ExtraArguments,
    int InitializerFailedExitCode)
{
    /// <summary>Slots of each worker.</summary>
    public int Slots { get; init; } = 1;

    /// <summary>Environment variables for every worker (the token, for one).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>The clock the backoff between replacements runs on.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}
