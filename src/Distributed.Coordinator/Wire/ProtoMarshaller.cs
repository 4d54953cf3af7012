using Google.Protobuf;
using Grpc.Core;

namespace Distributed.Coordinator.Wire;

/// <summary>
/// A gRPC marshaller for a protobuf message, the way generated service code makes one: it writes
/// straight into the transport's buffer and parses from the received sequence, without copies.
/// </summary>
internal static class ProtoMarshaller
{
    public static Marshaller<T> For<T>(MessageParser<T> parser)
        where T : IMessage<T>, IBufferMessage =>
        Marshallers.Create<T>(
            (message, context) =>
            {
                context.SetPayloadLength(message.CalculateSize());
                message.WriteTo(context.GetBufferWriter());
                context.Complete();
            },
            context => parser.ParseFrom(context.PayloadAsReadOnlySequence()));
}
