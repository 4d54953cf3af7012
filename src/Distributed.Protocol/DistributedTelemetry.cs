namespace Distributed.Protocol;

/// <summary>
/// The names to give an OpenTelemetry setup (or any <c>MeterListener</c> or <c>ActivityListener</c>)
/// to see this library's measurements and spans: <c>metrics.AddMeter(DistributedTelemetry.MeterName)</c>
/// and <c>tracing.AddSource(DistributedTelemetry.ActivitySourceName)</c>.
/// </summary>
/// <remarks>
/// A remote call is traced in three places, all in one trace: the client's span covers the call
/// from submit to its last outcome (one per submit, one per Map chunk), the coordinator's covers
/// the time the unit waited in its queue, and the worker's covers the run (worker id, host, pid
/// and attempt as tags). The W3C trace context travels in the call itself (CallUnit.traceparent),
/// so a caller's own Activity is the parent even when this library's source has no listener.
/// </remarks>
public static class DistributedTelemetry
{
    /// <summary>The <see cref="System.Diagnostics.Metrics.Meter"/> every component of the library measures with.</summary>
    public const string MeterName = "Distributed.Futures";

    /// <summary>The <see cref="System.Diagnostics.ActivitySource"/> every component of the library traces with.</summary>
    public const string ActivitySourceName = "Distributed.Futures";
}
