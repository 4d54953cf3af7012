using System.Runtime.InteropServices;
using Distributed.Worker;
using Microsoft.Extensions.Logging;

namespace Distributed.WorkerHost;

/// <summary>
/// What a standalone worker does when asked to stop (SIGTERM from a container runtime or systemd,
/// Ctrl+C on a terminal): the first signal drains it, as the hosted worker drains when its host
/// stops, so the calls it holds finish and their outcomes reach the coordinator instead of running
/// again elsewhere; a second signal, or the drain timeout, ends the session at once (the
/// coordinator then reruns what the worker still held). The timeout stays below the 30 s that
/// Kubernetes and docker-compose grant by default before SIGKILL, so the worker leaves on its own.
/// </summary>
internal sealed class DrainOnTermination : IDisposable
{
    private readonly WorkerRuntime _runtime;
    private readonly TimeSpan _drainTimeout;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _abort = new();
    private readonly PosixSignalRegistration[] _registrations;
    private ITimer? _deadline;
    private int _signals;

    public DrainOnTermination(WorkerRuntime runtime, TimeSpan drainTimeout, TimeProvider time, ILogger logger)
    {
        _runtime = runtime;
        _drainTimeout = drainTimeout;
        _time = time;
        _logger = logger;
        _registrations =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal),
            PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal),
        ];
    }

    /// <summary>Canceled by a second signal or when the drain takes longer than its timeout.</summary>
    public CancellationToken Abort => _abort.Token;

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }

        _deadline?.Dispose();
        _abort.Dispose();
    }

    /// <summary>What a signal does, by count: the first drains, the next ends the session at once.</summary>
    internal void OnRequest(PosixSignal signal)
    {
        if (Interlocked.Increment(ref _signals) == 1)
        {
            HostLog.Draining(_logger, signal, _drainTimeout.TotalSeconds);
            _deadline = _time.CreateTimer(_ => TimedOut(), null, _drainTimeout, Timeout.InfiniteTimeSpan);
            _runtime.Drain();
        }
        else
        {
            HostLog.LeavingAtOnce(_logger, signal);
            Cancel();
        }
    }

    private void OnSignal(PosixSignalContext context)
    {
        // Keep the runtime from ending the process: the drain decides when it ends.
        context.Cancel = true;
        OnRequest(context.Signal);
    }

    private void TimedOut()
    {
        if (!_abort.IsCancellationRequested)
        {
            HostLog.DrainTimedOut(_logger);
        }

        Cancel();
    }

    private void Cancel()
    {
        try
        {
            _abort.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The run ended and disposed this between the signal and the timer: nothing to end.
        }
    }
}
