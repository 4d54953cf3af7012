using Distributed.Protocol.V1;

namespace Distributed.Coordinator.Tests;

/// <summary>What the coordinator measures, heard by a listener on the engine's own meter while the engine is driven directly.</summary>
public sealed class EngineMetricsTests : IDisposable
{
    private const string Prefix = "distributed.coordinator.";
    private readonly MeasurementsOf _metrics = new();
    private readonly EngineHarness _harness;

    public EngineMetricsTests() => _harness = new EngineHarness(maxRetries: 0, meters: _metrics);

    [Fact]
    public void Tasks_AreCountedAsSubmittedStartedAndCompletedByOutcome()
    {
        var worker = _harness.NewWorker(slots: 1);
        _harness.Submit(1);
        _harness.Submit(2);
        _harness.Submit(3);
        Assert.Equal(3, Counted("tasks.submitted"));

        var first = Assert.Single(EngineHarness.Sent(worker).Units);
        _harness.Engine.OnWorkerMessage(worker, new WorkerMessage { Outcomes = { new UnitOutcome { UnitId = first.UnitId, RunNanos = 3_000_000 } } });
        var second = EngineHarness.Sent(worker).Units.First();
        _harness.Engine.OnWorkerMessage(worker, new WorkerMessage
        {
            Outcomes =
            {
                new UnitOutcome
                {
                    UnitId = second.UnitId,
                    RunNanos = 4_000_000,
                    Errors = { new ItemError { Index = 0, Error = new ErrorInfo { Kind = ErrorKind.Task, Message = "failed" } } },
                },
            },
        });

        Assert.Equal(1, Counted("tasks.completed", "outcome=result"));
        Assert.Equal(1, Counted("tasks.completed", "outcome=exception"));
        Assert.Equal(2, Counted("tasks.started"));
        Assert.Equal(2, _metrics.Count(Prefix + "unit.run_time"));
        Assert.Equal(0.003 + 0.004, _metrics.Total(Prefix + "unit.run_time"), precision: 9);
        Assert.True(_metrics.Count(Prefix + "unit.queue_wait") >= 2, "each unit given to a worker records its wait");
    }

    [Fact]
    public void ObservedFigures_FollowTheQueueTheWorkersAndTheClients()
    {
        _harness.Submit(1);
        _harness.Submit(2);
        _metrics.Observe();
        Assert.Equal(2, _metrics.Observed(Prefix + "queue.depth"));
        Assert.Equal(0, _metrics.Observed(Prefix + "workers"));
        Assert.Equal(1, _metrics.Observed(Prefix + "clients"));

        var worker = _harness.NewWorker(slots: 1);
        _metrics.Observe();

        Assert.Equal(1, _metrics.Observed(Prefix + "queue.depth"));
        Assert.Equal(1, _metrics.Observed(Prefix + "tasks.running"));
        Assert.Equal(1, _metrics.Observed(Prefix + "workers"));
        GC.KeepAlive(worker);
    }

    [Fact]
    public void LostWorkersAndCancels_CountUnderTheirOwnOutcomes()
    {
        var worker = _harness.NewWorker(slots: 1);
        _harness.Submit(1);
        var unit = Assert.Single(EngineHarness.Sent(worker).Units);
        _harness.Started(worker, unit.UnitId);
        _harness.Submit(2);
        Assert.True(_harness.Engine.CancelAsync(_harness.Client, 2, 0).Wait(TimeSpan.FromSeconds(10)));

        _harness.Killed(worker);

        Assert.Equal(1, Counted("tasks.completed", "outcome=canceled"));
        Assert.Equal(1, Counted("tasks.completed", "outcome=worker_lost"));
    }

    [Fact]
    public void RetriedExceptions_AreCountedByReason()
    {
        var worker = _harness.NewWorker(slots: 1);
        _harness.Engine.Submit(_harness.Client, new CallUnit
        {
            UnitId = 1,
            FunctionId = _harness.Function,
            Count = 1,
            Options = new TaskOptions { MaxRetries = 1, RetryOn = { "System.IO.IOException" } },
        });
        var unit = Assert.Single(EngineHarness.Sent(worker).Units);

        _harness.Engine.OnWorkerMessage(worker, new WorkerMessage
        {
            Outcomes = { new UnitOutcome { UnitId = unit.UnitId, Errors = { new ItemError { Index = 0, Error = new ErrorInfo { Kind = ErrorKind.Task, Retryable = true } } } } },
        });

        Assert.Equal(1, Counted("tasks.retries", "reason=exception"));
        Assert.Equal(0, Counted("tasks.completed"));
    }

    [Fact]
    public void HistogramSamples_ArriveInRuns_AndAllOfThemWhenTheListenerCollects()
    {
        SettleUnits(200);

        // Handed over in runs: some have arrived with nobody collecting, not yet all.
        Assert.InRange(_metrics.Count(Prefix + "unit.run_time"), 1, 199);
        Assert.InRange(_metrics.Count(Prefix + "unit.queue_wait"), 1, 199);
        _metrics.Observe();
        Assert.Equal(200, _metrics.Count(Prefix + "unit.run_time"));
        Assert.Equal(200, _metrics.Count(Prefix + "unit.queue_wait"));
        Assert.Equal(200 * 1e-6, _metrics.Total(Prefix + "unit.run_time"), precision: 9);
    }

    [Fact]
    public void HistogramSamples_ReachAListenerThatNeverCollects_AtTheWatchdogsNextLook()
    {
        SettleUnits(10);
        Assert.InRange(_metrics.Count(Prefix + "unit.run_time"), 0, 9);

        _harness.Engine.Tick();

        Assert.Equal(10, _metrics.Count(Prefix + "unit.run_time"));
        Assert.Equal(10, _metrics.Count(Prefix + "unit.queue_wait"));
    }

    [Fact]
    public void AListenerThatThrows_LosesNoOutcome_AndTheEngineGoesOn()
    {
        using var throwing = new System.Diagnostics.Metrics.MeterListener();
        throwing.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Scope == _metrics && instrument.Name.EndsWith("unit.run_time", StringComparison.Ordinal))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        throwing.SetMeasurementEventCallback<double>((_, _, _, _) => throw new InvalidOperationException("a listener's own bug"));
        throwing.Start();
        var worker = _harness.NewWorker(slots: 1);
        int thrown = 0;
        for (ulong id = 1; id <= 100; id++)
        {
            _harness.Submit(id);
            var unit = Assert.Single(EngineHarness.Sent(worker).Units);
            try
            {
                _harness.Engine.OnWorkerMessage(worker, new WorkerMessage { Outcomes = { new UnitOutcome { UnitId = unit.UnitId, RunNanos = 1_000 } } });
            }
            catch (InvalidOperationException)
            {
                thrown++;
            }
        }

        // The throw surfaced to the operation that recorded, after its outcomes were delivered.
        Assert.True(thrown >= 1, "the listener's exception reached the caller");
        Assert.Equal(100, _harness.Sink.Outcomes.Count);
        throwing.Dispose();
        Assert.Equal(100, Counted("tasks.completed", "outcome=result"));
    }

    private void SettleUnits(int units)
    {
        var worker = _harness.NewWorker(slots: 1);
        for (ulong id = 1; id <= (ulong)units; id++)
        {
            _harness.Submit(id);
            var unit = Assert.Single(EngineHarness.Sent(worker).Units);
            _harness.Engine.OnWorkerMessage(worker, new WorkerMessage { Outcomes = { new UnitOutcome { UnitId = unit.UnitId, RunNanos = 1_000 } } });
        }
    }

    /// <summary>A task counter's value now (they are observed when collected).</summary>
    private double Counted(string name, string? tag = null)
    {
        _metrics.Observe();
        return _metrics.Observed(Prefix + name, tag) ?? 0;
    }

    public void Dispose()
    {
        _harness.Engine.Dispose();
        _metrics.Dispose();
    }
}
