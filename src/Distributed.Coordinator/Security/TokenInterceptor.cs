using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Logging;

namespace Distributed.Coordinator.Security;

/// <summary>
/// Refuses every call that does not carry the shared secret as <c>authorization: Bearer &lt;token&gt;</c>,
/// with <see cref="StatusCode.Unauthenticated"/>, and logs who tried. Refusing one call disturbs
/// no other. Health checks stay open, so probes need no secret. Without a token, everything is
/// allowed: the coordinator then listens on loopback only.
/// </summary>
internal sealed partial class TokenInterceptor(CoordinatorSecret secret, ILogger<TokenInterceptor> logger) : Interceptor
{
    private const string HealthService = "/grpc.health.v1.Health/";

    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request,
        ServerCallContext context,
        UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Authorize(context);
        return continuation(request, context);
    }

    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream,
        ServerCallContext context,
        ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Authorize(context);
        return continuation(requestStream, context);
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request,
        IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Authorize(context);
        return continuation(request, responseStream, context);
    }

    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream,
        IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context,
        DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Authorize(context);
        return continuation(requestStream, responseStream, context);
    }

    private void Authorize(ServerCallContext context)
    {
        if (secret.Token is not { } token || context.Method.StartsWith(HealthService, StringComparison.Ordinal))
        {
            return;
        }

        string? presented = context.RequestHeaders.GetValue("authorization");
        if (!TokenCheck.IsBearer(presented, token))
        {
            string why = presented is null ? "no token" : "a wrong token";
            Log.Refused(logger, context.Peer, context.Method, why);
            throw new RpcException(new Status(StatusCode.Unauthenticated, $"This coordinator requires a token; the call carried {why}."));
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 50, Level = LogLevel.Warning, Message = "Refused {Method} from {Peer}: {Why}")]
        public static partial void Refused(ILogger logger, string peer, string method, string why);
    }
}

/// <summary>The shared secret the coordinator expects, or none.</summary>
internal sealed record CoordinatorSecret(string? Token);
