using Distributed.Coordinator.Telemetry;
using Distributed.Protocol.V1;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;

namespace Distributed.Coordinator.Wire;

/// <summary>
/// The coordinator's calls as it serves them: the same names and bytes as in protos/, the two
/// streams that carry units read (from clients) and written (to workers) as forwarding messages.
/// </summary>
internal static class ForwardingMethods
{
    public static readonly Method<ForwardedClientMessage, ClientEvent> ClientOpen =
        Define(MethodType.DuplexStreaming, ExecutorService.Descriptor, "Open", ForwardedClientMessage.Parser, ClientEvent.Parser);

    public static readonly Method<StatusRequest, StatusReply> Status =
        Define(MethodType.Unary, ExecutorService.Descriptor, "Status", StatusRequest.Parser, StatusReply.Parser);

    public static readonly Method<ShutdownRequest, ShutdownReply> Shutdown =
        Define(MethodType.Unary, ExecutorService.Descriptor, "Shutdown", ShutdownRequest.Parser, ShutdownReply.Parser);

    public static readonly Method<WorkerMessage, ForwardedCoordinatorMessage> WorkerConnect =
        Define(MethodType.DuplexStreaming, WorkerHub.Descriptor, "Connect", WorkerMessage.Parser, ForwardedCoordinatorMessage.Parser);

    private static Method<TRequest, TResponse> Define<TRequest, TResponse>(
        MethodType type,
        ServiceDescriptor service,
        string name,
        MessageParser<TRequest> request,
        MessageParser<TResponse> response)
        where TRequest : class, IMessage<TRequest>, IBufferMessage
        where TResponse : class, IMessage<TResponse>, IBufferMessage =>
        new(type, service.FullName, name, ProtoMarshaller.For(request, PeerOf(service)), ProtoMarshaller.For(response, PeerOf(service)));

    private static KeyValuePair<string, object?> PeerOf(ServiceDescriptor service) =>
        WireMetrics.Peer(service == WorkerHub.Descriptor ? "worker" : "client");
}
