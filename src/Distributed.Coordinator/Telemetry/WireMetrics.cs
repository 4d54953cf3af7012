using System.Diagnostics.Metrics;
using Distributed.Protocol;

namespace Distributed.Coordinator.Telemetry;

/// <summary>
/// The bytes a coordinator's gRPC faces read and write, by peer (client or worker), counted where
/// messages are (de)serialized, from sizes known there anyway. One meter for the process: the
/// marshallers are shared by every coordinator in it.
/// </summary>
internal static class WireMetrics
{
    private static readonly Meter Meter = new(DistributedTelemetry.MeterName);
    private static readonly Counter<long> Received = Meter.CreateCounter<long>(
        "distributed.coordinator.bytes.received", "By", "Bytes of messages the coordinator read, by peer (client, worker).");

    private static readonly Counter<long> Sent = Meter.CreateCounter<long>(
        "distributed.coordinator.bytes.sent", "By", "Bytes of messages the coordinator wrote, by peer (client, worker).");

    /// <summary>The peer tag of a service's calls.</summary>
    public static KeyValuePair<string, object?> Peer(string peer) => new("peer", peer);

    public static void Read(int bytes, KeyValuePair<string, object?> peer)
    {
        if (Received.Enabled)
        {
            Received.Add(bytes, peer);
        }
    }

    public static void Wrote(int bytes, KeyValuePair<string, object?> peer)
    {
        if (Sent.Enabled)
        {
            Sent.Add(bytes, peer);
        }
    }
}
