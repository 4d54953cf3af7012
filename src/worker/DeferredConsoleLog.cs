using Microsoft.Extensions.Logging;

namespace Distributed.WorkerHost;

/// <summary>
/// The worker's log, whose logger factory is built on the first entry that passes the level.
/// Building the console log (a service container, its options, the console's writer thread) was
/// the largest step of a worker's start-up before dialing: some 50 ms of CPU, compiled at start,
/// which on a small machine every worker of a new pool paid while the pool itself was starting.
/// An embedded pool's worker logs only warnings, so it usually never builds it; a standalone
/// worker builds it for its "registered" line, after registering rather than before dialing.
/// </summary>
/// <param name="build">Makes the real factory; called at most once.</param>
/// <param name="category">The category of every entry.</param>
/// <param name="minimum">The least severe level written; the factory's own filter must agree.</param>
internal sealed class DeferredConsoleLog(Func<ILoggerFactory> build, string category, LogLevel minimum) : ILogger, IDisposable
{
    private readonly Lazy<ILoggerFactory> _factory = new(build, LazyThreadSafetyMode.ExecutionAndPublication);
    private ILogger? _logger;

    /// <summary>Whether the real factory was built.</summary>
    public bool IsBuilt => _factory.IsValueCreated;

    // A race makes the same logger twice at worst: the factory keeps one per category.
    private ILogger Logger => Volatile.Read(ref _logger) ?? (_logger = _factory.Value.CreateLogger(category));

    // Decided here, without the factory: asking it would build it.
    public bool IsEnabled(LogLevel logLevel) => logLevel >= minimum && logLevel != LogLevel.None;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (IsEnabled(logLevel))
        {
            Logger.Log(logLevel, eventId, state, exception, formatter);
        }
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => Logger.BeginScope(state);

    /// <summary>Flushes and ends the real log, if there is one.</summary>
    public void Dispose()
    {
        if (_factory.IsValueCreated)
        {
            _factory.Value.Dispose();
        }
    }
}
