
namespace Distributed.FaultTests.Dashboard;

/// <summary>
/// The dashboard page in a real headless Chromium: the rendered DOM shows the coordinator's
/// workers, counts and failures, and follows new tasks by itself, without reloading.
/// </summary>
public sealed class DashboardBrowserTests
{
    private const string Failure = "the browser shows this failure";

    [ChromiumFact]
    public async Task Page_RendersTheWorkersAndFailures_AndUpdatesItsCountsWithoutReloading()
    {
        using var coordinator = new DashboardCoordinator(workers: 2);
        coordinator.WaitForWorkers(2);
        coordinator.RunTasks(squares: 4, failWith: Failure);
        string[] workerIds;
        using (var status = coordinator.Status())
        {
            workerIds = status.RootElement.GetProperty("workers").EnumerateArray().Select(w => w.GetProperty("id").GetString()!).Order().ToArray();
        }

        await using var browser = await HeadlessChromium.OpenAsync(coordinator.DashboardAddress);

        var rows = await browser.WaitForAsync(
            "document.querySelectorAll('#workers tbody tr[data-worker-id]').length === 2 && [...document.querySelectorAll('#workers tbody tr')].map(r => r.dataset.workerId).sort()");
        Assert.Equal(workerIds, rows!.AsArray().Select(id => (string)id!).ToArray());
        await browser.WaitForAsync("document.getElementById('total-completed').textContent === '4' && document.getElementById('total-failed').textContent === '1'");
        await browser.WaitForAsync("document.getElementById('health-state').textContent === 'healthy'");
        var failure = await browser.WaitForAsync("document.querySelector('#failures details pre')?.textContent");
        Assert.Contains("TestTasks.Throw", (string)failure!, StringComparison.Ordinal);
        var summary = await browser.EvaluateAsync("document.querySelector('#failures details summary').textContent");
        Assert.Contains($"System.InvalidOperationException: {Failure}", (string)summary!, StringComparison.Ordinal);
        var streamed = await browser.EvaluateAsync("document.querySelectorAll('#runs tbody tr').length");
        Assert.True((int)streamed! >= 2, $"the task stream shows {streamed} rows");

        // A mark on this document: a reload would lose it.
        int before = (int)(await browser.EvaluateAsync("window.stillTheSamePage = true, Number(document.body.dataset.snapshots)"))!;
        coordinator.RunTasks(squares: 3);

        await browser.WaitForAsync("document.getElementById('total-completed').textContent === '7'");
        Assert.True((bool)(await browser.EvaluateAsync("window.stillTheSamePage === true"))!, "the page was reloaded");
        int after = (int)(await browser.EvaluateAsync("Number(document.body.dataset.snapshots)"))!;
        Assert.True(after > before, $"snapshots rendered: {before} before, {after} after");
        var completedByWorkers = await browser.EvaluateAsync(
            "[...document.querySelectorAll('#workers tbody tr')].reduce((sum, r) => sum + Number(r.cells[5].textContent), 0)");
        Assert.Equal(8, (int)completedByWorkers!);
    }

    /// <summary>A fact that runs where Chromium is installed (CI installs it), and says why it is skipped elsewhere.</summary>
    private sealed class ChromiumFactAttribute : FactAttribute
    {
        public ChromiumFactAttribute()
        {
            if (HeadlessChromium.Find() is null)
            {
                Skip = "chromium is not installed (install the chromium package, put it on PATH, or set CHROMIUM to the browser)";
            }
        }
    }
}
