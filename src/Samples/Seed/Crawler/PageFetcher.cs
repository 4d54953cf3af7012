namespace Distributed.Samples.Seed.Crawler;

/// <summary>
/// What the async crawler runs in its worker processes: fetch a page and return the links it
/// follows. A public static async method, so any worker can find it by name; its token is the
/// caller's (Ctrl+C) and the task's timeout in one.
/// </summary>
public static class PageFetcher
{
    // One client per worker process, reused by every fetch that process runs.
    private static readonly HttpClient s_http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(1) });

    /// <summary>The same-site links on the page at <paramref name="url"/>; none if it answers with an error.</summary>
    /// <exception cref="HttpRequestException">The page could not be fetched (the crawl retries that once).</exception>
    public static async Task<string[]> FetchLinksAsync(string url, CancellationToken token)
    {
        using var response = await s_http.GetAsync(url, token).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            return [];
        }

        string html = await response.Content.ReadAsStringAsync(token).ConfigureAwait(false);
        return [.. SiteLinks.Parse(new Uri(url), html)];
    }
}
