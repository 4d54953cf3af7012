using Distributed.Coordinator.Telemetry;
using Distributed.Protocol.V1;
using Google.Protobuf;
using Grpc.Core;

namespace Distributed.Coordinator.Wire;

/// <summary>
/// The coordinator's calls as it serves them: the same names and bytes as in protos/, the two
/// streams that carry units read (from clients) and written (to workers) as forwarding messages.
/// </summary>
internal static class ForwardingMethods
{
    // The services' names as protos/ declares them, spelled out rather than read from the
    // generated descriptors: reading one builds every message descriptor of the protocol, which
    // is some 450 methods to compile on the path of a pool's first start. A test holds them equal.
    public const string ExecutorServiceName = "distributed.v1.ExecutorService";
    public const string WorkerHubName = "distributed.v1.WorkerHub";

    public static readonly Method<ForwardedClientMessage, ClientEvent> ClientOpen =
        Define(MethodType.DuplexStreaming, ExecutorServiceName, "Open", ForwardedClientMessage.Parser, ClientEvent.Parser);

    public static readonly Method<StatusRequest, StatusReply> Status =
        Define(MethodType.Unary, ExecutorServiceName, "Status", StatusRequest.Parser, StatusReply.Parser);

    public static readonly Method<ShutdownRequest, ShutdownReply> Shutdown =
        Define(MethodType.Unary, ExecutorServiceName, "Shutdown", ShutdownRequest.Parser, ShutdownReply.Parser);

    public static readonly Method<WorkerMessage, ForwardedCoordinatorMessage> WorkerConnect =
        Define(MethodType.DuplexStreaming, WorkerHubName, "Connect", WorkerMessage.Parser, ForwardedCoordinatorMessage.Parser);

    private static Method<TRequest, TResponse> Define<TRequest, TResponse>(
        MethodType type,
        string service,
        string name,
        MessageParser<TRequest> request,
        MessageParser<TResponse> response)
        where TRequest : class, IMessage<TRequest>, IBufferMessage
        where TResponse : class, IMessage<TResponse>, IBufferMessage =>
        new(type, service, name, ProtoMarshaller.For(request, PeerOf(service)), ProtoMarshaller.For(response, PeerOf(service)));

    private static KeyValuePair<string, object?> PeerOf(string service) =>
        WireMetrics.Peer(service == WorkerHubName ? "worker" : "client");
}
