using System.Diagnostics;
using System.Diagnostics.Metrics;
using Distributed.Futures;
using Distributed.Protocol;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Distributed.Benchmarks;

/// <summary>
/// What an OpenTelemetry SDK listening costs the process pool, side by side in one process: the
/// same warm pool's throughput and Map rate with nobody listening, with the SDK collecting the
/// library's metrics, and with it recording every span. Rounds alternate, so drift on a shared
/// machine hits all three alike.
/// </summary>
public static class TelemetryOverhead
{
    private enum Listening
    {
        Nobody,
        Metrics,
        Traces,
        MetricsWithoutHistograms,
    }

    public static void Run(int runs, int tasks, int items)
    {
        var throughput = Enum.GetValues<Listening>().ToDictionary(l => l, l => new Measurement($"{l}", "tasks/s"));
        var map = Enum.GetValues<Listening>().ToDictionary(l => l, l => new Measurement($"{l}", "items/s"));
        using (var pool = ProcessPoolBenchmarks.Warm(new ProcessPoolExecutor(2)))
        {
            for (int run = 0; run < runs; run++)
            {
                // Each round starts with a different condition, so none always runs first.
                foreach (var listening in Enum.GetValues<Listening>().Select((l, i) => (Listening)(((int)l + run) % 4)))
                {
                    using var sdk = Listen(listening);
                    throughput[listening].Add(ProcessPoolBenchmarks.Throughput(pool, tasks));
                    map[listening].Add(ProcessPoolBenchmarks.MapItems(pool, items));
                }
            }
        }

        Console.WriteLine($"## OpenTelemetry SDK listening, process pool of 2 ({runs} runs, medians; each cost is the median of the rounds' own ratios)");
        Console.WriteLine("| figure | nobody listens | SDK: metrics | cost | SDK: metrics, histograms dropped | cost | SDK: metrics and every span | cost |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        Row($"submit all then gather, {tasks:N0} no-ops (tasks/s)", throughput);
        Row($"Map of {items:N0} ints, chunkSize 1000 (items/s)", map);
        Console.WriteLine("Floor: metrics cost under 3% of throughput. Spans are one per call and per Map chunk, each exported.");
        Console.WriteLine();
    }

    private static void Row(string what, Dictionary<Listening, Measurement> figures)
    {
        double nobody = figures[Listening.Nobody].Median;

        // The cost is the median of each round's own ratio, not a ratio of medians: a round's
        // conditions run back to back, so the machine's drift between rounds cancels out of it.
        string Cost(Listening listening)
        {
            var paired = new Measurement("cost", "%");
            for (int run = 0; run < figures[listening].Runs.Count; run++)
            {
                paired.Add((1 - (figures[listening].Runs[run] / figures[Listening.Nobody].Runs[run])) * 100);
            }

            return $"{paired.Median:+0.0;-0.0}%";
        }

        Console.WriteLine($"| {what} | {nobody:N0} | {figures[Listening.Metrics].Median:N0} | {Cost(Listening.Metrics)} | {figures[Listening.MetricsWithoutHistograms].Median:N0} | {Cost(Listening.MetricsWithoutHistograms)} | {figures[Listening.Traces].Median:N0} | {Cost(Listening.Traces)} |");
    }

    private static IDisposable? Listen(Listening listening)
    {
        if (listening == Listening.Nobody)
        {
            return null;
        }

        // Exported into memory once a second and dropped: the cost measured is the SDK's, not a network's.
        var builder = Sdk.CreateMeterProviderBuilder().AddMeter(DistributedTelemetry.MeterName);
        if (listening == Listening.MetricsWithoutHistograms)
        {
            // What the per-unit histograms cost, apart from everything else.
            builder.AddView(instrument => instrument is Histogram<double> ? MetricStreamConfiguration.Drop : null);
        }

        var metrics = builder
            .AddReader(new PeriodicExportingMetricReader(new InMemoryExporter<Metric>(new List<Metric>()), exportIntervalMilliseconds: 1000))
            .Build();
        if (listening != Listening.Traces)
        {
            return metrics;
        }

        var traces = Sdk.CreateTracerProviderBuilder()
            .AddSource(DistributedTelemetry.ActivitySourceName)
            .AddProcessor(new BatchActivityExportProcessor(new DroppingExporter()))
            .Build();
        return new Both(metrics, traces);
    }

    private sealed class DroppingExporter : BaseExporter<Activity>
    {
        public override ExportResult Export(in Batch<Activity> batch) => ExportResult.Success;
    }

    private sealed class Both(IDisposable first, IDisposable second) : IDisposable
    {
        public void Dispose()
        {
            first.Dispose();
            second.Dispose();
        }
    }
}
