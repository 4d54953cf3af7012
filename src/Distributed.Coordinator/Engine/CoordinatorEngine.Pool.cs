using Distributed.Protocol.V1;

namespace Distributed.Coordinator.Engine;

/// <summary>The engine's pool-wide operations: breaking, retries off, the watchdog's look.</summary>
internal sealed partial class CoordinatorEngine
{
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
    /// worker to run them (see <see cref="NoWorkerWatch"/>). The histograms' gathered samples are
    /// recorded too.
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

            // However a listener collects (or does not), no sample waits longer than a look.
            _metrics.TakeSamples(deliveries);
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
}
