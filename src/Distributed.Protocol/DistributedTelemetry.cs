namespace Distributed.Protocol;

/// <summary>
/// The names to give an OpenTelemetry setup (or any <c>MeterListener</c>) to see this library's
/// measurements: <c>metrics.AddMeter(DistributedTelemetry.MeterName)</c>.
/// </summary>
public static class DistributedTelemetry
{
    /// <summary>The <see cref="System.Diagnostics.Metrics.Meter"/> every component of the library measures with.</summary>
    public const string MeterName = "Distributed.Futures";
}
