using System.Diagnostics;

namespace Distributed.Samples.Seed.Crawler;

/// <summary>Seed §11: the web crawler made faster with a <c>ThreadPoolExecutor</c>, timed against a sequential crawl.</summary>
public static class WebCrawlerExample
{
    private const int Pages = 120;
    private const int MaxWorkers = 20;
    private static readonly TimeSpan s_pageLatency = TimeSpan.FromMilliseconds(20);

    public static async Task RunAsync()
    {
        await using var site = await PracticeSite.StartAsync(Pages, s_pageLatency).ConfigureAwait(false);
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = MaxWorkers });
        var crawler = new WebCrawler(site.Root, http);
        Console.WriteLine($"Crawling {site.Root} ({Pages} pages, {s_pageLatency.TotalMilliseconds:F0} ms each)");

        var watch = Stopwatch.StartNew();
        var sequential = crawler.CrawlSequentially();
        var sequentialTime = watch.Elapsed;

        watch.Restart();
        var pooled = crawler.CrawlWithThreadPool(MaxWorkers);
        var pooledTime = watch.Elapsed;

        Console.WriteLine($"sequential:                        {sequential.Count,4} pages in {sequentialTime.TotalSeconds,6:F2} s");
        Console.WriteLine($"ThreadPoolExecutor({MaxWorkers} workers):   {pooled.Count,4} pages in {pooledTime.TotalSeconds,6:F2} s");
        Console.WriteLine($"speed-up: {sequentialTime / pooledTime:F1}x");
        if (!sequential.SetEquals(pooled) || pooled.Count != Pages)
        {
            throw new InvalidOperationException($"The crawls disagree: {sequential.Count} pages sequentially, {pooled.Count} with the pool, {Pages} on the site.");
        }
    }
}
