using System.Security.Cryptography;
using System.Text;
using Distributed.Coordinator.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Distributed.Coordinator.Dashboard;

/// <summary>
/// The dashboard's side of the shared secret. A script sends <c>authorization: Bearer &lt;token&gt;</c>,
/// as gRPC callers do; a browser opens <c>/?token=&lt;token&gt;</c> once and is given an HttpOnly,
/// SameSite=Strict cookie, then sent on to the bare address so the token leaves the address bar and
/// the history. The cookie holds a key derived from the token, not the token: a stolen cookie opens
/// the dashboard only, never the gRPC faces. Without a token everything is open (the dashboard then
/// listens on loopback only).
/// </summary>
internal sealed class DashboardAccess(CoordinatorSecret secret, ILogger logger)
{
    public const string CookieName = "distributed-dashboard";

    private readonly string? _cookieValue = secret.Token is { } token
        ? Convert.ToHexString(HMACSHA256.HashData(Encoding.UTF8.GetBytes(token), "distributed-futures dashboard"u8))
        : null;

    /// <summary>
    /// Lets the request through (true), or answers it (401, or the redirect that follows a good
    /// <c>?token=</c> on the page) and says so in the log (false).
    /// </summary>
    public async Task<bool> AdmitAsync(HttpContext context)
    {
        if (secret.Token is not { } token)
        {
            return true;
        }

        var request = context.Request;
        if (TokenCheck.IsBearer(request.Headers.Authorization, token)
            || TokenCheck.Matches(request.Cookies[CookieName], _cookieValue!))
        {
            return true;
        }

        string? presented = request.Query["token"];
        if (TokenCheck.Matches(presented, token))
        {
            context.Response.Cookies.Append(CookieName, _cookieValue!, new CookieOptions
            {
                HttpOnly = true,
                SameSite = SameSiteMode.Strict,
                Secure = request.IsHttps,
                Path = "/",
            });
            if (request.Path == "/")
            {
                context.Response.StatusCode = StatusCodes.Status303SeeOther;
                context.Response.Headers.Location = "/";
                return false;
            }

            return true;
        }

        string why = presented is not null || request.Headers.Authorization.Count > 0 || request.Cookies.ContainsKey(CookieName) ? "a wrong token" : "no token";
        DashboardLog.Refused(logger, context.Connection.RemoteIpAddress?.ToString() ?? "?", request.Path, why);
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers.WWWAuthenticate = "Bearer";
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync($"This dashboard requires the coordinator's token; the request carried {why}. Open /?token=<token> once, or send authorization: Bearer <token>.\n", context.RequestAborted).ConfigureAwait(false);
        return false;
    }
}
