using System.Diagnostics;
using Distributed.Futures;
using Distributed.Testing;
using PuppeteerSharp;

namespace Distributed.FaultTests.Dashboard;

/// <summary>
/// The dashboard page in a real headless Chromium (Debian's, driven by PuppeteerSharp over the
/// DevTools protocol; nothing is downloaded): the rendered page shows the coordinator's workers,
/// counts and failures, its queue figure follows tasks waiting and running, its worker table
/// follows a worker killed and replaced, all without a reload; the test saves a screenshot.
/// </summary>
public sealed class DashboardBrowserTests
{
    private const string Failure = "the browser shows this failure";
    private static readonly int Timeout = (int)TestTimeouts.Default.TotalMilliseconds;

    [ChromiumFact]
    public async Task Page_FollowsTasksFailuresAndAKilledWorker_WithoutReloading()
    {
        using var coordinator = new DashboardCoordinator(workers: 2);
        coordinator.WaitForWorkers(2);
        coordinator.RunTasks(squares: 4, failWith: Failure);
        string[] workerIds;
        using (var status = coordinator.Status())
        {
            workerIds = status.RootElement.GetProperty("workers").EnumerateArray().Select(w => w.GetProperty("id").GetString()!).Order().ToArray();
        }

        string profile = Directory.CreateTempSubdirectory("dashboard-chromium-").FullName;
        try
        {
            await using var browser = await Puppeteer.LaunchAsync(new LaunchOptions
            {
                ExecutablePath = ChromiumFactAttribute.Find(),
                Headless = true,
                UserDataDir = profile,
                Args =
                [
                    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                ],
                DefaultViewport = new ViewPortOptions { Width = 1280, Height = 900 },
                Timeout = Timeout,
            });
            await using var page = await browser.NewPageAsync();
            page.DefaultTimeout = Timeout;
            await page.GoToAsync(coordinator.DashboardAddress.ToString());

            // The workers, the counts, the health and the failure with its remote stack trace.
            await WaitFor(page, "document.querySelectorAll('#workers tbody tr[data-worker-id]').length === 2");
            var rows = await page.EvaluateExpressionAsync<string[]>("[...document.querySelectorAll('#workers tbody tr')].map(r => r.dataset.workerId).sort()");
            Assert.Equal(workerIds, rows);
            await WaitFor(page, "document.getElementById('total-completed').textContent === '4' && document.getElementById('total-failed').textContent === '1'");
            await WaitFor(page, "document.getElementById('health-state').textContent === 'healthy'");
            await WaitFor(page, "document.querySelector('#failures details pre') !== null");
            Assert.Contains("TestTasks.Throw", await page.EvaluateExpressionAsync<string>("document.querySelector('#failures details pre').textContent"), StringComparison.Ordinal);
            Assert.Contains($"System.InvalidOperationException: {Failure}", await page.EvaluateExpressionAsync<string>("document.querySelector('#failures details summary').textContent"), StringComparison.Ordinal);

            // A mark on this document: a reload would lose it.
            await page.EvaluateExpressionAsync("window.stillTheSamePage = true");

            // Tasks held at a gate: the queue figure shows them waiting and running, then gone.
            using (var gate = new TaskGate())
            using (var client = coordinator.NewClient())
            {
                var held = Enumerable.Range(0, 6).Select(i => client.Submit(TestTasks.PassGate, gate.Port, i)).ToList();
                await WaitFor(page, "document.getElementById('total-queued').textContent === '4' && document.getElementById('total-running').textContent === '2'");
                gate.Open();
                Assert.Empty(Future.Wait(held, TestTimeouts.Default).NotDone);
                await WaitFor(page, "document.getElementById('total-queued').textContent === '0' && document.getElementById('total-completed').textContent === '10'");
            }

            // A worker killed: its row goes, and the replacement the coordinator starts appears.
            int killed = await page.EvaluateExpressionAsync<int>("Number(document.querySelector('#workers tbody tr').cells[2].textContent)");
            using (var victim = Process.GetProcessById(killed))
            {
                victim.Kill();
            }

            await WaitFor(page, $"[...document.querySelectorAll('#workers tbody tr')].every(r => r.cells[2].textContent !== '{killed}') && document.querySelectorAll('#workers tbody tr[data-worker-id]').length === 2");
            Assert.True(await page.EvaluateExpressionAsync<bool>("window.stillTheSamePage === true"), "the page was reloaded");

            string screenshot = Path.Combine(AppContext.BaseDirectory, "dashboard-test.png");
            await page.ScreenshotAsync(screenshot, new ScreenshotOptions { FullPage = true });
            Assert.True(new FileInfo(screenshot).Length > 10_000, $"the screenshot {screenshot} is {new FileInfo(screenshot).Length} bytes");
        }
        finally
        {
            Directory.Delete(profile, recursive: true);
        }
    }

    private static Task<IJSHandle> WaitFor(IPage page, string condition) =>
        page.WaitForExpressionAsync(condition, new WaitForFunctionOptions { Timeout = Timeout, PollingInterval = 100 });

    /// <summary>A fact that runs where Chromium is installed (CI installs it), and says why it is skipped elsewhere.</summary>
    private sealed class ChromiumFactAttribute : FactAttribute
    {
        public ChromiumFactAttribute()
        {
            if (Find() is null)
            {
                Skip = "chromium is not installed (install the chromium package, put it on PATH, or set CHROMIUM to the browser)";
            }
        }

        /// <summary>The browser to run: CHROMIUM if set, else chromium or chromium-browser on PATH; null when there is none.</summary>
        public static string? Find()
        {
            if (Environment.GetEnvironmentVariable("CHROMIUM") is { Length: > 0 } given)
            {
                return File.Exists(given) ? given : null;
            }

            return (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator)
                .SelectMany(folder => new[] { Path.Combine(folder, "chromium"), Path.Combine(folder, "chromium-browser") })
                .FirstOrDefault(File.Exists);
        }
    }
}
