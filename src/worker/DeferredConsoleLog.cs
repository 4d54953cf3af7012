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
    private readonly Lock _lock = new();
    private ILoggerFactory? _factory;
    private ILogger? _logger;
    private bool _disposed;

    /// <summary>Whether the real factory was built.</summary>
    public bool IsBuilt => Volatile.Read(ref _logger) is not null;

    // Decided here, without the factory: asking it would build it.
    public bool IsEnabled(LogLevel logLevel) => logLevel >= minimum && logLevel != LogLevel.None;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel))
        {
            return;
        }

        var (logger, builtAfterDisposal) = Logger();
        logger.Log(logLevel, eventId, state, exception, formatter);
        if (builtAfterDisposal is not null)
        {
            // A late entry (a timer's, as the run ends) on a log that was never built: written and
            // flushed now, since nothing disposes this factory later.
            builtAfterDisposal.Dispose();
        }
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => Logger().Logger.BeginScope(state);

    /// <summary>Flushes and ends the real log, if there is one.</summary>
    public void Dispose()
    {
        ILoggerFactory? factory;
        lock (_lock)
        {
            _disposed = true;
            factory = _factory;
        }

        factory?.Dispose();
    }

    private (ILogger Logger, ILoggerFactory? BuiltAfterDisposal) Logger()
    {
        if (Volatile.Read(ref _logger) is { } built)
        {
            return (built, null);
        }

        lock (_lock)
        {
            if (_logger is { } raced)
            {
                return (raced, null);
            }

            var factory = build();
            _factory = factory;
            Volatile.Write(ref _logger, factory.CreateLogger(category));
            return (_logger, _disposed ? factory : null);
        }
    }
}
