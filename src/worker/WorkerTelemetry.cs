using System.Runtime.CompilerServices;
using Distributed.Protocol;
using OpenTelemetry;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Distributed.WorkerHost;

/// <summary>
/// The worker's span export over OTLP, set up only when the standard <c>OTEL_EXPORTER_OTLP_*</c>
/// variables name an endpoint (an embedded pool's workers inherit its environment, so setting them
/// for the app traces its workers too). Without them the OpenTelemetry SDK is never even loaded,
/// which keeps a worker's start-up short.
/// </summary>
internal static class WorkerTelemetry
{
    private static readonly string[] EndpointVariables = ["OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"];

    /// <summary>Starts exporting if asked; dispose the result on the way out, to send what is buffered.</summary>
    public static IDisposable? StartIfRequested(string workerId) =>
        EndpointVariables.Any(name => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(name))) ? Start(workerId) : null;

    // Its own method, so the SDK's assemblies load only when it runs.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static TracerProvider Start(string workerId) =>
        Sdk.CreateTracerProviderBuilder()
            .ConfigureResource(resource =>
            {
                if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("OTEL_SERVICE_NAME")))
                {
                    resource.AddService("worker", serviceInstanceId: workerId);
                }
            })
            .AddSource(DistributedTelemetry.ActivitySourceName)
            .AddOtlpExporter()
            .Build();
}
