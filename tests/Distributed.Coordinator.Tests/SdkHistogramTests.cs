using Distributed.Protocol;
using Distributed.Protocol.V1;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace Distributed.Coordinator.Tests;

/// <summary>
/// The coordinator hands its histogram samples over in runs, and the rest when a listener collects:
/// a real OpenTelemetry SDK, collecting, sees every unit's run time and queue wait, none a
/// collection late.
/// </summary>
public sealed class SdkHistogramTests
{
    [Fact]
    public void AnOpenTelemetrySdk_SeesEveryUnit_AtItsFirstCollection()
    {
        using var meters = new MeasurementsOf();
        var exported = new List<MetricSnapshot>();
        using var sdk = Sdk.CreateMeterProviderBuilder()
            .AddMeter(DistributedTelemetry.MeterName)

            // Only this test's engine: others in this process measure on meters of the same name.
            .AddView(instrument => instrument.Meter.Scope == meters ? null : MetricStreamConfiguration.Drop)
            .AddInMemoryExporter(exported)
            .Build();
        var harness = new EngineHarness(maxRetries: 0, meters: meters);
        using var engine = harness.Engine;
        var worker = harness.NewWorker(slots: 1);
        const int units = 150;
        for (ulong id = 1; id <= units; id++)
        {
            harness.Submit(id);
            var unit = Assert.Single(EngineHarness.Sent(worker).Units);
            harness.Engine.OnWorkerMessage(worker, new WorkerMessage { Outcomes = { new UnitOutcome { UnitId = unit.UnitId, RunNanos = 2_000_000 } } });
        }

        Assert.True(sdk.ForceFlush(10_000));

        var runTime = exported.Last(m => m.Name == "distributed.coordinator.unit.run_time");
        var queueWait = exported.Last(m => m.Name == "distributed.coordinator.unit.queue_wait");
        Assert.Equal(units, HistogramCount(runTime));
        Assert.Equal(units, HistogramCount(queueWait));
        Assert.Equal(units * 0.002, HistogramSum(runTime), precision: 9);
    }

    private static long HistogramCount(MetricSnapshot metric) => metric.MetricPoints.Sum(point => point.GetHistogramCount());

    private static double HistogramSum(MetricSnapshot metric) => metric.MetricPoints.Sum(point => point.GetHistogramSum());
}
