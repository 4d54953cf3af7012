namespace Distributed.Coordinator.Hosting;

/// <summary>The names of the coordinator's plain-HTTP faces (see <see cref="HttpFaces"/>).</summary>
internal static class CoordinatorFaces
{
    /// <summary>The Prometheus scrape endpoint, <c>--metrics-listen</c>.</summary>
    public const string Metrics = "metrics";

    /// <summary>The plaintext gRPC health port, <c>--health-listen</c>: grpc.health.v1 and nothing else.</summary>
    public const string Health = "health";
}
