using Distributed.Protocol;
using Distributed.Protocol.V1;
using Grpc.Health.V1;
using Grpc.Net.Client;

namespace Distributed.FaultTests;

/// <summary>Asks a coordinator over its own unary calls what an operator would: its status, and its health.</summary>
internal sealed class StatusProbe(string address) : IDisposable
{
    private readonly GrpcChannel _channel = CoordinatorAddress.Parse(address).CreateChannel(ProtocolInfo.DefaultMaxMessageBytes, TimeSpan.FromSeconds(20));

    public StatusReply Status() =>
        new ExecutorService.ExecutorServiceClient(_channel).Status(new StatusRequest(), deadline: DateTime.UtcNow.AddSeconds(10));

    /// <summary>The health of <paramref name="service"/>: "" is the whole coordinator.</summary>
    public HealthCheckResponse.Types.ServingStatus Health(string service = "") =>
        new Health.HealthClient(_channel).Check(new HealthCheckRequest { Service = service }, deadline: DateTime.UtcNow.AddSeconds(10)).Status;

    public void Dispose() => _channel.Dispose();
}
