using System.Collections.Concurrent;
using Distributed.Futures;

namespace Distributed.Samples.Seed.Crawler;

/// <summary>
/// The seed's crawler: from a start page, fetch every page of the same site once, following links.
/// The sequential crawl fetches one page at a time; the pooled crawl submits a fetch per newly seen
/// URL to a <see cref="ThreadPoolExecutor"/> and, as in the seed, a done callback parses the page and
/// queues its links.
/// </summary>
public sealed class WebCrawler(Uri root, HttpClient http)
{
    // Stands in for "nothing more to queue": wakes the loop when the last fetch finished.
    private const string WakeUp = "";

    public ISet<string> CrawlSequentially()
    {
        var scraped = new HashSet<string>();
        var toCrawl = new Queue<string>([root.AbsoluteUri]);
        while (toCrawl.TryDequeue(out var url))
        {
            if (scraped.Add(url) && ScrapePage(url) is { } html)
            {
                foreach (var link in ParseLinks(html))
                {
                    toCrawl.Enqueue(link);
                }
            }
        }

        return scraped;
    }

    public ISet<string> CrawlWithThreadPool(int maxWorkers)
    {
        var scraped = new HashSet<string>();
        using var toCrawl = new BlockingCollection<string> { root.AbsoluteUri };
        int inFlight = 0;

        void PostScrapeCallback(Future<string?> page)
        {
            if (page.Result() is { } html)
            {
                foreach (var link in ParseLinks(html))
                {
                    toCrawl.Add(link);
                }
            }

            // After its links are queued: once nothing is in flight, nothing more can be queued.
            if (Interlocked.Decrement(ref inFlight) == 0)
            {
                toCrawl.Add(WakeUp);
            }
        }

        using var pool = new ThreadPoolExecutor(maxWorkers, threadNamePrefix: "crawler");
        foreach (var url in toCrawl.GetConsumingEnumerable())
        {
            if (url != WakeUp && scraped.Add(url))
            {
                Interlocked.Increment(ref inFlight);
                pool.Submit(ScrapePage, url).AddDoneCallback(PostScrapeCallback);
            }

            if (Volatile.Read(ref inFlight) == 0 && toCrawl.Count == 0)
            {
                break;
            }
        }

        return scraped;
    }

    // A page that cannot be fetched is skipped, as the seed's crawler does.
    private string? ScrapePage(string url)
    {
        try
        {
            using var response = http.Send(new HttpRequestMessage(HttpMethod.Get, url));
            if (!response.IsSuccessStatusCode)
            {
                return null;
            }

            using var reader = new StreamReader(response.Content.ReadAsStream());
            return reader.ReadToEnd();
        }
        catch (HttpRequestException error)
        {
            Console.WriteLine($"Could not fetch {url}: {error.Message}");
            return null;
        }
    }

    private IEnumerable<string> ParseLinks(string html) => SiteLinks.Parse(root, html);
}
