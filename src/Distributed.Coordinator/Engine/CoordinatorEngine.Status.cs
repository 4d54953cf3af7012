using Distributed.Coordinator.Dashboard;
using Distributed.Coordinator.Telemetry;
using Distributed.Protocol.V1;

namespace Distributed.Coordinator.Engine;

/// <summary>What a person looks at: health, the Status reply, the dashboard's view, the metrics' observed figures.</summary>
internal sealed partial class CoordinatorEngine
{
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

    /// <summary>
    /// Called by a listener as it collects: the histograms' gathered samples are recorded first,
    /// outside the lock. An SDK asks for observable figures before it reads its histograms, so
    /// what was gathered is in this collection (see <see cref="Telemetry.SampleBuffer"/>).
    /// </summary>
    private CoordinatorMetrics.Snapshot ObserveForMetrics()
    {
        var deliveries = new Deliveries();
        CoordinatorMetrics.Snapshot snapshot;
        lock (_sync)
        {
            _metrics.TakeSamples(deliveries);
            snapshot = new CoordinatorMetrics.Snapshot(
                (ulong)_book.Queue.OpenItems(),
                (ulong)_workers.Sum(w => w.InFlight.Sum(r => r.OpenItems)),
                _workers.Count,
                _clients.Count(c => !c.Closed));
        }

        deliveries.Flush();
        return snapshot;
    }
}
