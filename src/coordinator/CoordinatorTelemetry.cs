using Distributed.Coordinator.Hosting;
using Distributed.Protocol;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Distributed.CoordinatorHost;

/// <summary>
/// The coordinator's exporters, as the OpenTelemetry ecosystem configures them: OTLP (traces,
/// metrics and logs) when the standard <c>OTEL_EXPORTER_OTLP_*</c> variables name an endpoint, and
/// the Prometheus scrape endpoint on <c>--metrics-listen</c>. Nothing is set up without either, so
/// an unobserved coordinator pays nothing for the SDK.
/// </summary>
internal static class CoordinatorTelemetry
{
    private static readonly string[] OtlpEndpointVariables =
        ["OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT"];

    /// <summary>Whether the environment asks for OTLP export.</summary>
    public static bool OtlpRequested => OtlpEndpointVariables.Any(name => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(name)));

    public static void Add(WebApplicationBuilder builder, CoordinatorOptions options)
    {
        bool prometheus = options.MetricsListen is not null;
        bool otlp = OtlpRequested;
        if (!prometheus && !otlp)
        {
            return;
        }

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource =>
            {
                // OTEL_SERVICE_NAME, when set, names the service; "coordinator" otherwise.
                if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("OTEL_SERVICE_NAME")))
                {
                    resource.AddService("coordinator");
                }
            })
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(DistributedTelemetry.MeterName);
                if (prometheus)
                {
                    metrics.AddPrometheusExporter();
                }
            });
        if (otlp)
        {
            telemetry.WithTracing(tracing => tracing.AddSource(DistributedTelemetry.ActivitySourceName)).UseOtlpExporter();
        }
    }

    /// <summary>Serves <c>/metrics</c> on the metrics listener only (behind its token, if one is set).</summary>
    public static void Map(WebApplication app, CoordinatorOptions options)
    {
        if (options.MetricsListen is not null)
        {
            app.UseOpenTelemetryPrometheusScrapingEndpoint(context =>
                context.Request.Path == "/metrics" && HttpFaces.IsOn(context, CoordinatorFaces.Metrics));
        }
    }
}
