using Distributed.Protocol.V1;
using Google.Protobuf.Reflection;
using Grpc.Core;

namespace Distributed.Coordinator.Wire;

/// <summary>
/// The worker face bound to the forwarding methods instead of the generated ones: written the way
/// generated service bases are (gRPC finds a service's handlers as overrides of the base that
/// declares its BindService), and naming the generated descriptor, so server reflection still
/// describes the service as protos/ declares it.
/// </summary>
[BindServiceMethod(typeof(WorkerHubBase), nameof(BindService))]
internal abstract class WorkerHubBase
{
    public static ServiceDescriptor Descriptor => WorkerHub.Descriptor;

    public abstract Task Connect(IAsyncStreamReader<WorkerMessage> requestStream, IServerStreamWriter<ForwardedCoordinatorMessage> responseStream, ServerCallContext context);

    public static void BindService(ServiceBinderBase binder, WorkerHubBase? service) =>
        binder.AddMethod(ForwardingMethods.WorkerConnect, service is null ? null : new DuplexStreamingServerMethod<WorkerMessage, ForwardedCoordinatorMessage>(service.Connect));
}

/// <summary>The client face bound to the forwarding methods (see <see cref="WorkerHubBase"/>).</summary>
[BindServiceMethod(typeof(ExecutorServiceBase), nameof(BindService))]
internal abstract class ExecutorServiceBase
{
    public static ServiceDescriptor Descriptor => ExecutorService.Descriptor;

    public abstract Task Open(IAsyncStreamReader<ForwardedClientMessage> requestStream, IServerStreamWriter<ClientEvent> responseStream, ServerCallContext context);

    public abstract Task<StatusReply> Status(StatusRequest request, ServerCallContext context);

    public abstract Task<ShutdownReply> Shutdown(ShutdownRequest request, ServerCallContext context);

    public static void BindService(ServiceBinderBase binder, ExecutorServiceBase? service)
    {
        binder.AddMethod(ForwardingMethods.ClientOpen, service is null ? null : new DuplexStreamingServerMethod<ForwardedClientMessage, ClientEvent>(service.Open));
        binder.AddMethod(ForwardingMethods.Status, service is null ? null : new UnaryServerMethod<StatusRequest, StatusReply>(service.Status));
        binder.AddMethod(ForwardingMethods.Shutdown, service is null ? null : new UnaryServerMethod<ShutdownRequest, ShutdownReply>(service.Shutdown));
    }
}
