using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Distributed.Coordinator.Hosting;

/// <summary>
/// The plaintext health port (<c>--health-listen</c>): Kubernetes' gRPC probes speak h2c only, so a
/// coordinator on https needs a port they can reach. It is the same server and the same health
/// service as the main ports (one answer, wherever it is asked), so only what may be asked differs:
/// grpc.health.v1.Health, which the token interceptor lets through without a token because it
/// carries no secret. Every other call is refused before it reaches a service, so the port opens
/// no way around the token and no second plaintext door to a TLS coordinator.
/// </summary>
internal static class HealthPort
{
    private const string HealthService = "/grpc.health.v1.Health";

    /// <summary>Refuses with 404 (a gRPC client reads UNIMPLEMENTED) every request on the health port but a health call.</summary>
    public static void ServeOnlyHealth(WebApplication app) =>
        app.UseWhen(context => HttpFaces.IsOn(context, CoordinatorFaces.Health), branch => branch.Use((context, next) =>
        {
            if (context.Request.Path.StartsWithSegments(HealthService, StringComparison.Ordinal))
            {
                return next(context);
            }

            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }));
}
