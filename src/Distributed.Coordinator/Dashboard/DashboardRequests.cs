using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Distributed.Coordinator.Dashboard;

/// <summary>
/// Everything the dashboard endpoint answers, and nothing else answers there: the page
/// (<c>GET /</c>), the snapshot (<c>GET /api/status</c>) and the event stream (<c>GET /events</c>,
/// a snapshot a second as server-sent events). Requests on the gRPC endpoints pass on untouched.
/// </summary>
internal sealed class DashboardRequests(
    DashboardEndpoint endpoint, DashboardAccess access, DashboardFeed feed, IHostApplicationLifetime lifetime, ILogger logger)
{
    private const string PageResource = "Distributed.Coordinator.Dashboard.dashboard.html";

    // Everything the page needs is inline, and it talks only to this endpoint.
    private const string PagePolicy = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src data:; frame-ancestors 'none'";

    private static readonly Lazy<byte[]> s_page = new(ReadPage);

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (!endpoint.Serves(context))
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        var request = context.Request;
        var response = context.Response;
        response.Headers.XContentTypeOptions = "nosniff";
        if (!HttpMethods.IsGet(request.Method))
        {
            response.Headers.Allow = "GET";
            NotServed(context, StatusCodes.Status405MethodNotAllowed);
            return;
        }

        if (!await access.AdmitAsync(context).ConfigureAwait(false))
        {
            return;
        }

        switch (request.Path.Value)
        {
            case "/":
                response.ContentType = "text/html; charset=utf-8";
                response.Headers.CacheControl = "no-store";
                response.Headers.ContentSecurityPolicy = PagePolicy;
                await response.Body.WriteAsync(s_page.Value, context.RequestAborted).ConfigureAwait(false);
                break;
            case "/api/status":
                response.ContentType = "application/json; charset=utf-8";
                response.Headers.CacheControl = "no-store";
                await response.Body.WriteAsync(feed.Now(), context.RequestAborted).ConfigureAwait(false);
                break;
            case "/events":
                await StreamAsync(context).ConfigureAwait(false);
                break;
            default:
                NotServed(context, StatusCodes.Status404NotFound);
                break;
        }
    }

    private async Task StreamAsync(HttpContext context)
    {
        string peer = PeerOf(context);
        if (!feed.TryOpenStream(out int open))
        {
            DashboardLog.TooManyStreams(logger, peer, open - 1);
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        try
        {
            var response = context.Response;
            response.ContentType = "text/event-stream";
            response.Headers.CacheControl = "no-cache";
            context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();

            // Now, not at the next look: the page fills at once. A browser that lost the stream dials again after the retry.
            await response.Body.WriteAsync("retry: 2000\n\n"u8.ToArray(), stop.Token).ConfigureAwait(false);
            byte[] now = feed.Now();

            // After the fresh one, only what the feed publishes later: not one it made before.
            long version = feed.Version;
            await SendAsync(response, now, stop.Token).ConfigureAwait(false);
            while (true)
            {
                var next = await feed.NextAsync(version, stop.Token).ConfigureAwait(false);
                version = next.Version;
                await SendAsync(response, next.Json, stop.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            DashboardLog.StreamEnded(logger, peer, lifetime.ApplicationStopping.IsCancellationRequested ? "the coordinator is stopping" : "the browser went away");
        }
        catch (IOException error)
        {
            DashboardLog.StreamEnded(logger, peer, error.Message);
        }
        finally
        {
            feed.CloseStream();
        }
    }

    private static async Task SendAsync(HttpResponse response, byte[] json, CancellationToken cancellationToken)
    {
        await response.Body.WriteAsync("data: "u8.ToArray(), cancellationToken).ConfigureAwait(false);
        await response.Body.WriteAsync(json, cancellationToken).ConfigureAwait(false);
        await response.Body.WriteAsync("\n\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
        await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private void NotServed(HttpContext context, int statusCode)
    {
        context.Response.StatusCode = statusCode;
        DashboardLog.NotServed(logger, context.Request.Method, context.Request.Path, PeerOf(context), statusCode);
    }

    private static string PeerOf(HttpContext context) =>
        $"{context.Connection.RemoteIpAddress}:{context.Connection.RemotePort}";

    private static byte[] ReadPage()
    {
        using var stream = typeof(DashboardRequests).Assembly.GetManifestResourceStream(PageResource)
            ?? throw new InvalidOperationException($"The dashboard page ({PageResource}) is missing from the assembly.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
