using System.Diagnostics;
using Distributed.Coordinator.Dashboard;
using Distributed.Coordinator.Telemetry;
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
/// The door's operations are in files by who calls them: CoordinatorEngine.Clients.cs, .Workers.cs,
/// .Pool.cs and .Status.cs.
/// </remarks>
internal sealed partial class CoordinatorEngine : IDisposable
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
        _metrics = new CoordinatorMetrics(options.MeterFactory, ObserveForMetrics, _sync);
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
        // The last samples reach whoever listens before the meter goes.
        var deliveries = new Deliveries();
        lock (_sync)
        {
            _metrics.TakeSamples(deliveries);
        }

        deliveries.Flush();
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

    private (bool Healthy, string Description) HealthLocked() =>
        _broken is { } broken ? (false, broken.Message) : _noWorkers.HealthLocked();

    /// <summary>The largest outcome message that can reach the client: its own limit and the coordinator's.</summary>
    private int OutcomeLimit(ClientSession client) =>
        client.MaxOutcomeBytes > 0 ? Math.Min(client.MaxOutcomeBytes, _options.MaxMessageBytes) : _options.MaxMessageBytes;

    [Conditional("DEBUG")]
    private void AssertInvariantsLocked() => _book.AssertInvariantsLocked(_workers, _clients);
}
