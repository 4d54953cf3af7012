using Microsoft.Extensions.Logging;

namespace Distributed.Coordinator.Engine;

/// <summary>
/// Runs the engine's <see cref="CoordinatorEngine.Tick"/> every watchdog period, on the engine's
/// clock (so a test can drive it with a fake one). A failing look is logged, never thrown: the
/// timer thread belongs to the process that hosts the engine, which may be the user's own.
/// </summary>
internal sealed partial class EngineWatchdog : IDisposable
{
    private readonly CoordinatorEngine _engine;
    private readonly ILogger _logger;
    private readonly ITimer _timer;

    public EngineWatchdog(CoordinatorEngine engine, ILogger logger)
    {
        _engine = engine;
        _logger = logger;
        var period = engine.Options.WatchdogPeriod;
        _timer = engine.Options.Time.CreateTimer(_ => Look(), null, period, period);
    }

    public void Dispose() => _timer.Dispose();

    private void Look()
    {
        try
        {
            _engine.Tick();
        }
#pragma warning disable CA1031 // See the class remarks: a bug here must not end the host process.
        catch (Exception error)
#pragma warning restore CA1031
        {
            Log.TickFailed(_logger, error);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 10, Level = LogLevel.Error, Message = "The coordinator's watchdog failed")]
        public static partial void TickFailed(ILogger logger, Exception error);
    }
}
