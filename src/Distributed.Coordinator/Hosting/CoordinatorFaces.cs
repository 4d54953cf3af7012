namespace Distributed.Coordinator.Hosting;

/// <summary>The names of the coordinator's plain-HTTP faces (see <see cref="HttpFaces"/>).</summary>
internal static class CoordinatorFaces
{
    /// <summary>The Prometheus scrape endpoint, <c>--metrics-listen</c>.</summary>
    public const string Metrics = "metrics";
}
