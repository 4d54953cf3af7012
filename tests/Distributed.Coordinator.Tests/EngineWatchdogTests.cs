using Distributed.Coordinator.Engine;
using Distributed.Protocol.V1;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Distributed.Coordinator.Tests;

/// <summary>
/// The engine's timeouts on a fake clock: a silent worker or client is given up on within its
/// timeout and not before; tasks waiting with no worker fail after the no-worker timeout and not
/// before, while health says so; a coordinator that did not run does not hold its own silence
/// against anyone.
/// </summary>
public sealed class EngineWatchdogTests
{
    private readonly FakeTimeProvider _clock = new();
    private readonly RecordingSink _sink = new();

    [Fact]
    public void TasksWithNoWorker_FailAfterTheNoWorkerTimeout_AndNotBefore()
    {
        var engine = NewEngine(new EngineOptions { Time = _clock, NoWorkerTimeout = TimeSpan.FromSeconds(60), NoWorkerTimeoutSetting = "--no-worker-timeout" });
        using var watchdog = new EngineWatchdog(engine, NullLogger.Instance);
        var client = engine.OpenClient("test", _sink);
        Submit(engine, client, unitId: 1);

        Run(engine, TimeSpan.FromSeconds(59));

        Assert.Empty(_sink.Outcomes);
        Assert.InRange(engine.Status().WithoutWorkersMs, 57_000UL, 59_000UL);
        Assert.Equal(60_000UL, engine.Status().NoWorkerTimeoutMs);
        Assert.False(engine.Health().Healthy);

        Run(engine, TimeSpan.FromSeconds(2));

        var outcome = Assert.Single(_sink.Outcomes);
        var error = Assert.Single(outcome.Errors).Error;
        Assert.Equal(ErrorKind.NoWorkers, error.Kind);
        Assert.Contains("--no-worker-timeout is 60 s", error.Message, StringComparison.Ordinal);
        Assert.Equal(0UL, engine.Status().QueuedItems);
        Assert.True(engine.Health().Healthy);
    }

    [Fact]
    public void WithoutANoWorkerTimeout_TasksWaitForever_ButHealthSaysTheyWait()
    {
        var engine = NewEngine(new EngineOptions { Time = _clock, NoWorkerTimeout = Timeout.InfiniteTimeSpan });
        using var watchdog = new EngineWatchdog(engine, NullLogger.Instance);
        Submit(engine, engine.OpenClient("test", _sink), unitId: 1);

        Run(engine, TimeSpan.FromMinutes(10));

        Assert.Empty(_sink.Outcomes);
        Assert.False(engine.Health().Healthy);
        Assert.Contains("have waited", engine.Health().Description, StringComparison.Ordinal);
    }

    [Fact]
    public void SilentWorker_IsGivenUpOnWithinTheHeartbeatTimeout_AndItsTaskGoesBackToTheQueue()
    {
        var engine = NewEngine(new EngineOptions { Time = _clock, HeartbeatInterval = TimeSpan.FromSeconds(1), HeartbeatTimeout = TimeSpan.FromSeconds(10) });
        using var watchdog = new EngineWatchdog(engine, NullLogger.Instance);
        string? aborted = null;
        engine.RegisterWorker(new Register { WorkerId = "quiet", Host = "test", Pid = 1, Slots = 1 }, reason => aborted = reason);
        Submit(engine, engine.OpenClient("test", _sink), unitId: 1);
        Assert.Equal(1UL, engine.Status().RunningItems);

        Run(engine, TimeSpan.FromSeconds(8.5));
        Assert.Null(aborted);

        Run(engine, TimeSpan.FromSeconds(1.5));

        Assert.NotNull(aborted);
        Assert.Contains("stopped responding", aborted, StringComparison.Ordinal);
        Assert.Empty(engine.Status().Workers);
        Assert.Equal(1UL, engine.Status().QueuedItems);
    }

    [Fact]
    public void SilentRemoteClient_IsDroppedWithinTheClientTimeout_ButTheEmbeddedPoolNeverIs()
    {
        var engine = NewEngine(new EngineOptions { Time = _clock, ClientTimeout = TimeSpan.FromSeconds(20) });
        using var watchdog = new EngineWatchdog(engine, NullLogger.Instance);
        string? dropped = null;
        engine.OpenClient("remote", _sink, reason => dropped = reason);
        engine.OpenClient("embedded pool", new RecordingSink());

        Run(engine, TimeSpan.FromSeconds(17.5));
        Assert.Null(dropped);

        Run(engine, TimeSpan.FromSeconds(2.5));

        Assert.NotNull(dropped);
        Assert.Contains("client timeout 20.0 s", dropped, StringComparison.Ordinal);
    }

    [Fact]
    public void CoordinatorThatDidNotRun_DoesNotHoldItsOwnSilenceAgainstItsWorkers()
    {
        var engine = NewEngine(new EngineOptions { Time = _clock, HeartbeatTimeout = TimeSpan.FromSeconds(10) });
        string? aborted = null;
        engine.RegisterWorker(new Register { WorkerId = "w", Host = "test", Pid = 1, Slots = 1 }, reason => aborted = reason);
        engine.Tick();

        // The process was stopped for 30 s: its first look afterwards sees the gap, not a silent worker.
        _clock.Advance(TimeSpan.FromSeconds(30));
        engine.Tick();
        Assert.Null(aborted);

        // Still silent a full timeout later: now it is the worker's silence.
        for (int i = 0; i < 10; i++)
        {
            _clock.Advance(TimeSpan.FromSeconds(1));
            engine.Tick();
        }

        Assert.NotNull(aborted);
    }

    [Fact]
    public void LateLook_WhileAnotherWorkerWasHeard_StillGivesUpOnTheSilentOne()
    {
        // Only the watchdog's timer was late (a busy machine): the process ran, as the other
        // worker's heartbeats show, so the silent worker's silence is its own.
        var engine = NewEngine(new EngineOptions { Time = _clock, HeartbeatInterval = TimeSpan.FromMilliseconds(250), HeartbeatTimeout = TimeSpan.FromSeconds(2) });
        string? quietAborted = null;
        string? talkerAborted = null;
        engine.RegisterWorker(new Register { WorkerId = "quiet", Host = "test", Pid = 1, Slots = 1 }, reason => quietAborted = reason);
        var talker = engine.RegisterWorker(new Register { WorkerId = "talker", Host = "test", Pid = 2, Slots = 1 }, reason => talkerAborted = reason);
        engine.Tick();

        for (int i = 0; i < 12; i++)
        {
            _clock.Advance(TimeSpan.FromMilliseconds(250));
            engine.OnWorkerMessage(talker, new WorkerMessage { Heartbeat = true });
        }

        engine.Tick();

        Assert.NotNull(quietAborted);
        Assert.Contains("stopped responding", quietAborted, StringComparison.Ordinal);
        Assert.Null(talkerAborted);
        Assert.Equal(["talker"], engine.Status().Workers.Select(w => w.WorkerId));
    }

    [Fact]
    public void LateLook_AfterTheProcessRanOnlyPartOfTheGap_HoldsOnlyThatPartAgainstASilentWorker()
    {
        var engine = NewEngine(new EngineOptions { Time = _clock, HeartbeatInterval = TimeSpan.FromMilliseconds(250), HeartbeatTimeout = TimeSpan.FromSeconds(2) });
        string? quietAborted = null;
        engine.RegisterWorker(new Register { WorkerId = "quiet", Host = "test", Pid = 1, Slots = 1 }, reason => quietAborted = reason);
        var talker = engine.RegisterWorker(new Register { WorkerId = "talker", Host = "test", Pid = 2, Slots = 1 }, _ => { });
        engine.Tick();

        // Stopped for 30 s; thawed, it hears the other worker, and looks 1 s later: 1 s of silence is no timeout.
        _clock.Advance(TimeSpan.FromSeconds(30));
        engine.OnWorkerMessage(talker, new WorkerMessage { Heartbeat = true });
        _clock.Advance(TimeSpan.FromSeconds(1));
        engine.Tick();
        Assert.Null(quietAborted);

        _clock.Advance(TimeSpan.FromSeconds(1));
        engine.OnWorkerMessage(talker, new WorkerMessage { Heartbeat = true });
        engine.Tick();
        Assert.NotNull(quietAborted);
    }

    private static CoordinatorEngine NewEngine(EngineOptions options) => new(options, NullLogger.Instance);

    private static void Submit(CoordinatorEngine engine, ClientSession client, ulong unitId)
    {
        uint function = engine.RegisterFunction(new FunctionRef { AssemblyName = "Tasks", TypeName = "Tasks", MethodName = "Run" });
        engine.Submit(client, new CallUnit { UnitId = unitId, FunctionId = function, Count = 1 });
    }

    /// <summary>Lets <paramref name="span"/> pass in steps shorter than the watchdog's period, so every look is on time.</summary>
    private void Run(CoordinatorEngine engine, TimeSpan span)
    {
        var step = engine.Options.WatchdogPeriod / 2;
        for (var passed = TimeSpan.Zero; passed < span; passed += step)
        {
            _clock.Advance(step);
        }
    }
}
