using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Distributed.Samples.Seed.Crawler;

/// <summary>
/// A small web site for the crawler to crawl, served by Kestrel on 127.0.0.1 (this machine has no
/// internet). Pages link to each other, to pages already seen and to an outside site the crawler
/// must skip; each page is answered after a fixed delay, as a real site across a network would be.
/// </summary>
public sealed class PracticeSite : IAsyncDisposable
{
    private readonly WebApplication _app;

    private PracticeSite(WebApplication app, Uri root, int pageCount)
    {
        _app = app;
        Root = root;
        PageCount = pageCount;
    }

    public Uri Root { get; }

    public int PageCount { get; }

    /// <param name="pageCount">How many pages the site has.</param>
    /// <param name="latency">How long each page takes to answer.</param>
    /// <param name="stalledPage">A page that answers only after <paramref name="stall"/> (a server that hangs), or -1 for none.</param>
    /// <param name="stall">How long the stalled page hangs, unless its request is given up first.</param>
    public static async Task<PracticeSite> StartAsync(int pageCount, TimeSpan latency, int stalledPage = -1, TimeSpan stall = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();

        app.MapGet("/", () => Results.Redirect("/page/0"));
        app.MapGet("/page/{id:int}", async (int id, HttpContext context) =>
        {
            try
            {
                await Task.Delay(id == stalledPage ? stall : latency, context.RequestAborted).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // The crawler gave up on the page: nobody reads the answer.
                return Results.Empty;
            }

            return id >= 0 && id < pageCount
                ? Results.Content(PageHtml(id, pageCount), "text/html")
                : Results.NotFound();
        });

        await app.StartAsync().ConfigureAwait(false);
        return new PracticeSite(app, new Uri(app.Urls.First() + "/page/0"), pageCount);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync().ConfigureAwait(false);

    // Page i links down a binary tree (so every page is reachable), back to the start, across to an
    // unrelated page (so the crawler meets pages it has already queued), and out of the site.
    private static string PageHtml(int id, int pageCount)
    {
        var html = new StringBuilder($"<html><body><h1>Page {id}</h1>");
        foreach (int target in new[] { (2 * id) + 1, (2 * id) + 2, 0, (id * 7) % pageCount })
        {
            if (target < pageCount)
            {
                html.Append($"<a href=\"/page/{target}\">page {target}</a> ");
            }
        }

        return html.Append("<a href=\"https://example.com/elsewhere\">elsewhere</a></body></html>").ToString();
    }
}
