using System.Diagnostics;
using Distributed.Futures;

namespace Distributed.Samples.Seed.Crawler;

/// <summary>
/// The crawler the way C# writes it: an async fetch that takes a <see cref="CancellationToken"/>,
/// run in a <see cref="ProcessPoolExecutor"/> with a per-page timeout and one retry on a failed
/// request. One page of the site hangs; it fails with <see cref="TimeoutException"/> and the crawl
/// goes on. Ctrl+C cancels the whole crawl through the one token every fetch was given: queued
/// fetches never run, running ones are signaled in their workers, and the pool stays usable.
/// </summary>
public static class AsyncCrawlerExample
{
    private const int Pages = 60;
    private const int Workers = 4;
    private static readonly TimeSpan s_pageLatency = TimeSpan.FromMilliseconds(20);
    private static readonly TaskOptions s_fetchOptions = new()
    {
        Timeout = TimeSpan.FromSeconds(1),
        MaxRetries = 1,
        RetryOn = [typeof(HttpRequestException)],
    };

    /// <param name="stall">How long the hanging page hangs (far longer than the timeout).</param>
    public static async Task RunAsync(TimeSpan stall)
    {
        await using var site = await PracticeSite.StartAsync(Pages, s_pageLatency, stalledPage: Pages / 2, stall).ConfigureAwait(false);
        using var cancel = new CancellationTokenSource();
        ConsoleCancelEventHandler onCtrlC = (_, press) =>
        {
            // This program cancels its crawl and goes on to report it, rather than being ended.
            press.Cancel = true;
            Console.WriteLine("Ctrl+C: canceling the crawl");
            cancel.Cancel();
        };
        Console.CancelKeyPress += onCtrlC;
        try
        {
            Console.WriteLine($"Crawling {site.Root} ({Pages} pages, page {Pages / 2} hangs) with async fetches in a ProcessPoolExecutor({Workers}), " +
                $"timeout {s_fetchOptions.Timeout!.Value.TotalSeconds:0.#} s per page; Ctrl+C cancels");
            using var pool = new ProcessPoolExecutor(Workers);
            var watch = Stopwatch.StartNew();
            var report = await CrawlAsync(pool.With(s_fetchOptions), site.Root, cancel.Token).ConfigureAwait(false);
            Console.WriteLine($"{report.Crawled.Count} pages crawled in {watch.Elapsed.TotalSeconds:F2} s; {report.Canceled} canceled");
            foreach (var (url, error) in report.Failed)
            {
                Console.WriteLine($"  {url}: {error.GetType().Name}: {error.Message}");
            }

            if (!cancel.IsCancellationRequested && (report.Crawled.Count != Pages - 1 || report.Failed.Count != 1 || report.Failed[0].Error is not TimeoutException))
            {
                throw new InvalidOperationException($"Expected {Pages - 1} pages and one timeout, got {report.Crawled.Count} pages and {report.Failed.Count} failures.");
            }
        }
        finally
        {
            Console.CancelKeyPress -= onCtrlC;
        }
    }

    /// <summary>What a crawl reached: pages fetched, pages that failed (with why), fetches canceled.</summary>
    public sealed record CrawlReport(IReadOnlySet<string> Crawled, IReadOnlyList<(string Url, Exception Error)> Failed, int Canceled);

    /// <summary>Crawls from <paramref name="root"/>, a fetch per newly seen page, each with <paramref name="token"/>.</summary>
    public static async Task<CrawlReport> CrawlAsync(Executor fetcher, Uri root, CancellationToken token)
    {
        var seen = new HashSet<string> { root.AbsoluteUri };
        var crawled = new HashSet<string>();
        var failed = new List<(string, Exception)>();
        int canceled = 0;
        var inFlight = new Dictionary<Task<string[]>, string>();
        void Fetch(string url) => inFlight.Add(fetcher.Submit(PageFetcher.FetchLinksAsync, url, token).AsTask(), url);

        Fetch(root.AbsoluteUri);
        while (inFlight.Count > 0)
        {
            var done = await Task.WhenAny(inFlight.Keys).ConfigureAwait(false);
            string url = inFlight[done];
            inFlight.Remove(done);
            try
            {
                foreach (string link in await done.ConfigureAwait(false))
                {
                    if (!token.IsCancellationRequested && seen.Add(link))
                    {
                        Fetch(link);
                    }
                }

                crawled.Add(url);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                canceled++;
            }
            catch (Exception error) when (error is TimeoutException or HttpRequestException or RemoteTaskException)
            {
                failed.Add((url, error));
            }
        }

        return new CrawlReport(crawled, failed, canceled);
    }
}
