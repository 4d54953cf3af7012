using System.ComponentModel;
using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Distributed.Coordinator.Supervision;

/// <summary>
/// Starts the local worker processes, restarts any that exits (a crash, a task that called
/// Environment.Exit, a worker replaced after its task budget), and stops them all at the end. It
/// gives up, and reports that workers cannot be started at all, when the worker program is missing
/// or its processes keep exiting before they ever register.
/// </summary>
internal sealed partial class LocalWorkerSupervisor(SupervisorSettings settings, ILogger logger)
{
    // Exits before registering, in a row, that mean the program cannot run here at all.
    private const int EarlyExitsBeforeGivingUp = 3;

    private readonly object _lock = new();
    private readonly List<Process> _running = [];
    private readonly HashSet<int> _registered = [];
    private readonly TaskCompletionSource _allExited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _nextWorker;
    private int _earlyExitsInARow;
    private bool _stopping;

    /// <summary>Raised once, with the reason, when worker processes cannot be started at all.</summary>
    public event Action<string>? CannotStartWorkers;

    /// <summary>The ids of the worker processes running now.</summary>
    public IReadOnlyList<int> ProcessIds
    {
        get
        {
            lock (_lock)
            {
                return _running.Select(p => p.Id).ToList();
            }
        }
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

    /// <summary>The engine admitted the worker with this process id.</summary>
    public void OnRegistered(int pid)
    {
        lock (_lock)
        {
            if (_running.Any(p => p.Id == pid))
            {
                _registered.Add(pid);
                _earlyExitsInARow = 0;
            }
        }
    }

    /// <summary>The engine gave up on a worker (no heartbeat): if it is ours, it is killed, and replaced.</summary>
    public void OnLost(int pid)
    {
        Process? process;
        lock (_lock)
        {
            process = _running.FirstOrDefault(p => p.Id == pid);
        }

        KillQuietly(process);
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

        if (await Task.WhenAny(_allExited.Task, Task.Delay(grace)).ConfigureAwait(false) != _allExited.Task)
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
            running = [.. _running];
            if (running.Count == 0)
            {
                _allExited.TrySetResult();
            }
        }

        running.ForEach(stop);
    }

    private void StartWorkerLocked()
    {
        string id = $"{settings.IdPrefix}-{_nextWorker++}";
        if (!File.Exists(settings.ProgramPath))
        {
            GiveUpLocked($"the worker program {settings.ProgramPath} does not exist");
            return;
        }

        var start = new ProcessStartInfo(WorkerProgram.DotnetHost()) { UseShellExecute = false };
        start.ArgumentList.Add(settings.ProgramPath);
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
        process.Exited += (_, _) => OnExited(process);
        try
        {
            process.Start();
            _running.Add(process);
            Log.WorkerStarted(logger, id, process.Id);
        }
        catch (Exception error) when (error is Win32Exception or InvalidOperationException)
        {
            process.Dispose();
            GiveUpLocked($"the worker program could not be started ({start.FileName} {settings.ProgramPath}): {error.Message}");
        }
    }

    private void OnExited(Process process)
    {
        lock (_lock)
        {
            // StartWorkerLocked holds the lock across Start, so a process that exits at once is listed
            // by the time this runs; one that is not listed never started.
            if (!_running.Remove(process))
            {
                return;
            }

            bool registered = _registered.Remove(process.Id);
            int exitCode = process.ExitCode;
            process.Dispose();
            if (_stopping)
            {
                if (_running.Count == 0)
                {
                    _allExited.TrySetResult();
                }

                return;
            }

            Log.WorkerExited(logger, exitCode, registered);
            if (exitCode == settings.InitializerFailedExitCode)
            {
                // Starting more would fail the same way. The engine breaks the pool when the worker's
                // report arrives; this covers a report that was lost with the process.
                GiveUpLocked($"the pool's initializer failed in worker process {process.Id} (exit code {exitCode}); see its output above");
                return;
            }

            if (!registered && ++_earlyExitsInARow >= EarlyExitsBeforeGivingUp)
            {
                GiveUpLocked($"worker processes exited {_earlyExitsInARow} times in a row before registering (last exit code {exitCode}); see their output above");
                return;
            }

            StartWorkerLocked();
        }
    }

    private void GiveUpLocked(string reason)
    {
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

        [LoggerMessage(EventId = 21, Level = LogLevel.Information, Message = "A local worker exited with code {ExitCode} (registered: {Registered}); starting a replacement")]
        public static partial void WorkerExited(ILogger logger, int exitCode, bool registered);
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
}
