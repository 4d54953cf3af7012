using System.Net;
using Distributed.Coordinator.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace Distributed.Coordinator.Hosting;

/// <summary>
/// The coordinator's plain-HTTP faces (the Prometheus scrape endpoint, and any other a person or a
/// tool reads with a browser or curl; the plaintext health port a Kubernetes probe asks), each on a
/// listener of its own. Every connection a listener accepts is marked with its face, so a face's
/// routes answer only there, and a face's listener serves nothing else.
/// </summary>
internal sealed partial class HttpFaces
{
    private const string FaceKey = "distributed.face";
    private readonly Dictionary<string, ListenOptions> _listeners = [];

    /// <summary>Listens for the face on the address (http://ip:port or http://localhost:port; port 0 picks one).</summary>
    /// <param name="kestrel">The server to add the listener to.</param>
    /// <param name="face">The face's name, one of <see cref="CoordinatorFaces"/>.</param>
    /// <param name="address">Where to listen, checked by <see cref="CoordinatorOptionsValidator.CheckHttpFace"/>.</param>
    /// <param name="protocols">HTTP/1.1 for what browsers and scrapers read; HTTP/2 alone for plaintext gRPC, which has no upgrade and needs prior knowledge.</param>
    public void Listen(KestrelServerOptions kestrel, string face, string address, HttpProtocols protocols = HttpProtocols.Http1)
    {
        var uri = new Uri(address);
        var ip = uri.Host is "localhost" ? IPAddress.Loopback : IPAddress.Parse(uri.Host.Trim('[', ']'));
        kestrel.Listen(ip, uri.Port, listen =>
        {
            listen.Protocols = protocols;
            listen.Use(next => connection =>
            {
                connection.Items[FaceKey] = face;
                return next(connection);
            });
            _listeners[face] = listen;
        });
    }

    /// <summary>Whether the request came in on the face's listener.</summary>
    public static bool IsOn(HttpContext context, string face) =>
        context.Features.Get<IConnectionItemsFeature>()?.Items.TryGetValue(FaceKey, out var on) == true && on as string == face;

    /// <summary>Where the face really listens, once the server has started (port 0 resolved); null if it has no listener.</summary>
    public string? AddressOf(string face) =>
        _listeners.TryGetValue(face, out var listen) && listen.IPEndPoint is { } endpoint ? $"http://{endpoint}" : null;

    /// <summary>
    /// Requests on the face must carry the token (<c>authorization: Bearer …</c>) when one is set;
    /// others get 401 and a log line saying who tried.
    /// </summary>
    public static void RequireToken(WebApplication app, string face, string? token, ILogger logger)
    {
        if (token is null)
        {
            return;
        }

        app.UseWhen(context => IsOn(context, face), branch => branch.Use(async (context, next) =>
        {
            string? presented = context.Request.Headers.Authorization;
            if (TokenCheck.IsBearer(presented, token))
            {
                await next(context);
                return;
            }

            Log.Refused(logger, face, context.Connection.RemoteIpAddress?.ToString() ?? "?", presented is null ? "no token" : "a wrong token");
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers.WWWAuthenticate = "Bearer";
            await context.Response.WriteAsync($"This coordinator requires its token on {face} requests (authorization: Bearer <token>).");
        }));
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 51, Level = LogLevel.Warning, Message = "Refused a {Face} request from {Peer}: {Why}")]
        public static partial void Refused(ILogger logger, string face, string peer, string why);
    }
}
