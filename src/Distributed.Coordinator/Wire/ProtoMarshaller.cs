using Distributed.Coordinator.Telemetry;
using Google.Protobuf;
using Grpc.Core;

namespace Distributed.Coordinator.Wire;

/// <summary>
/// A gRPC marshaller for a protobuf message, the way generated service code makes one: it writes
/// straight into the transport's buffer and parses from the received sequence, without copies.
/// </summary>
internal static class ProtoMarshaller
{
    /// <param name="parser">Reads the message.</param>
    /// <param name="peer">Who sends what it reads and reads what it writes, for the byte counts (see <see cref="WireMetrics"/>).</param>
    public static Marshaller<T> For<T>(MessageParser<T> parser, KeyValuePair<string, object?> peer)
        where T : IMessage<T>, IBufferMessage =>
        Marshallers.Create<T>(
            (message, context) =>
            {
                int size = message.CalculateSize();
                context.SetPayloadLength(size);
                message.WriteTo(context.GetBufferWriter());
                context.Complete();
                WireMetrics.Wrote(size, peer);
            },
            context =>
            {
                WireMetrics.Read(context.PayloadLength, peer);
                return parser.ParseFrom(context.PayloadAsReadOnlySequence());
            });
}
