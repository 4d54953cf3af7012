using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Distributed.Testing;
using Grpc.Core;

namespace Distributed.FaultTests.Dashboard;

/// <summary>
/// The dashboard of a real coordinator with local workers, after real tasks ran through a
/// RemoteExecutor: its JSON snapshot, its event stream, its token, and its endpoint kept apart
/// from the gRPC faces.
/// </summary>
public sealed class DashboardTests
{
    private const string Failure = "the dashboard shows this failure";
    private const string Token = "the-dashboard-token-of-enough-length-0123456789";

    [Fact]
    public void Snapshot_ShowsTheWorkersTheCountsTheTaskStreamAndTheFailureWithItsRemoteStackTrace()
    {
        using var coordinator = new DashboardCoordinator(workers: 2);
        coordinator.WaitForWorkers(2);

        coordinator.RunTasks(squares: 5, failWith: Failure);

        using var snapshot = coordinator.Status();
        var root = snapshot.RootElement;
        var workers = root.GetProperty("workers").EnumerateArray().ToList();
        Assert.Equal(2, workers.Count);
        Assert.All(workers, w =>
        {
            Assert.False(string.IsNullOrEmpty(w.GetProperty("id").GetString()));
            Assert.True(w.GetProperty("pid").GetInt32() > 0);
            Assert.Equal(1u, w.GetProperty("slots").GetUInt32());
            Assert.True(w.GetProperty("workingSetBytes").GetUInt64() > 0, "a worker's memory is missing");
        });
        Assert.Equal(6, workers.Sum(w => w.GetProperty("completed").GetInt32()));

        var totals = root.GetProperty("totals");
        Assert.Equal(5ul, totals.GetProperty("completed").GetUInt64());
        Assert.Equal(1ul, totals.GetProperty("failed").GetUInt64());
        Assert.Equal("healthy", root.GetProperty("health").GetProperty("state").GetString());

        var workerIds = workers.Select(w => w.GetProperty("id").GetString()).ToHashSet();
        var runs = root.GetProperty("runs").EnumerateArray().ToList();
        Assert.Equal(6, runs.Sum(r => r.GetProperty("items").GetInt32()));
        Assert.All(runs, r => Assert.Contains(r.GetProperty("worker").GetString(), workerIds));
        Assert.Contains(runs, r => r.GetProperty("function").GetString()!.EndsWith("TestTasks.Square", StringComparison.Ordinal));
        Assert.Single(runs, r => r.GetProperty("failed").GetInt32() == 1);

        var failure = Assert.Single(root.GetProperty("failures").EnumerateArray());
        Assert.Equal("exception", failure.GetProperty("kind").GetString());
        Assert.Equal(typeof(InvalidOperationException).FullName, failure.GetProperty("type").GetString());
        Assert.Equal(Failure, failure.GetProperty("message").GetString());
        Assert.Contains("TestTasks.Throw", failure.GetProperty("stackTrace").GetString(), StringComparison.Ordinal);
        Assert.Contains(failure.GetProperty("worker").GetString(), workerIds);

        // A client connected now is listed.
        using (var client = coordinator.NewClient())
        {
            Assert.Equal(4, client.Submit(TestTasks.Square, 2).Result(TestTimeouts.Default));
            using var withClient = coordinator.Status();
            var listed = Assert.Single(withClient.RootElement.GetProperty("clients").EnumerateArray());
            Assert.False(string.IsNullOrEmpty(listed.GetProperty("id").GetString()));
            Assert.Equal(1u, withClient.RootElement.GetProperty("totals").GetProperty("clients").GetUInt32());
        }

        // Every second of the window holds what ended in it.
        Assert.Equal(6, root.GetProperty("history").GetProperty("completed").EnumerateArray().Sum(s => s.GetInt32()));
        Assert.Equal(1, root.GetProperty("history").GetProperty("failed").EnumerateArray().Sum(s => s.GetInt32()));
    }

    [Fact]
    public async Task Events_ArriveBySelf_AndFollowTasksAsTheyComplete()
    {
        using var coordinator = new DashboardCoordinator(workers: 1);
        await using var events = await EventStream.OpenAsync(coordinator.Http);

        using var first = await events.NextAsync();
        (await events.NextAsync()).Dispose();
        using var third = await events.NextAsync();
        Assert.True(
            third.RootElement.GetProperty("at").GetDateTimeOffset() > first.RootElement.GetProperty("at").GetDateTimeOffset(),
            "the snapshots pushed later are no later than the first");

        using var registered = await events.WaitForAsync(s => s.GetProperty("workers").GetArrayLength() == 1, "the worker registered");
        coordinator.RunTasks(squares: 3);
        using var ran = await events.WaitForAsync(s => s.GetProperty("totals").GetProperty("completed").GetUInt64() == 3, "three tasks completed");

        Assert.Equal(3ul, ran.RootElement.GetProperty("workers")[0].GetProperty("completed").GetUInt64());
        Assert.Equal(3, ran.RootElement.GetProperty("runs").EnumerateArray().Sum(r => r.GetProperty("items").GetInt32()));

        coordinator.RunTasks(squares: 2, failWith: Failure);
        using var failed = await events.WaitForAsync(s => s.GetProperty("totals").GetProperty("failed").GetUInt64() == 1, "the failure");
        Assert.Equal(5ul, failed.RootElement.GetProperty("totals").GetProperty("completed").GetUInt64());
        Assert.Equal(Failure, failed.RootElement.GetProperty("failures")[0].GetProperty("message").GetString());
    }

    [Fact]
    public async Task EventStreams_AreBounded_AndAClosedOneFreesItsPlace()
    {
        const int MaxStreams = 16;
        using var coordinator = new DashboardCoordinator(workers: 0);
        var open = new List<EventStream>();
        try
        {
            for (int i = 0; i < MaxStreams; i++)
            {
                open.Add(await EventStream.OpenAsync(coordinator.Http));
                (await open[^1].NextAsync()).Dispose();
            }

            using (var refused = await coordinator.Http.GetAsync(new Uri("events", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead).DefaultTimeout())
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            }

            Assert.Contains("most it serves at once", coordinator.WaitForLine("Dashboard refused an event stream"), StringComparison.Ordinal);

            // The coordinator notices the browser went away (its next write fails, within a second or so) and takes the next.
            await open[0].DisposeAsync();
            open.RemoveAt(0);
            await using var next = await OpenWhenFreeAsync(coordinator.Http);
            (await next.NextAsync()).Dispose();
        }
        finally
        {
            foreach (var stream in open)
            {
                await stream.DisposeAsync();
            }
        }
    }

    [Fact]
    public void NoWorkers_IsTheHealthTheDashboardShows()
    {
        using var coordinator = new DashboardCoordinator(workers: 0, arguments: []);

        using var snapshot = coordinator.Status();

        var health = snapshot.RootElement.GetProperty("health");
        Assert.Equal("no-workers", health.GetProperty("state").GetString());
        Assert.Contains("no worker", health.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, snapshot.RootElement.GetProperty("workers").GetArrayLength());
    }

    private static async Task<EventStream> OpenWhenFreeAsync(HttpClient http)
    {
        var deadline = DateTime.UtcNow + TestTimeouts.Default;
        while (true)
        {
            try
            {
                return await EventStream.OpenAsync(http);
            }
            catch (HttpRequestException full) when (full.StatusCode == HttpStatusCode.ServiceUnavailable && DateTime.UtcNow < deadline)
            {
                // Another process's state with no event to wait on: ask again shortly.
                await Task.Delay(100);
            }
        }
    }

    [Theory]
    [InlineData("http://0.0.0.0:0")]
    [InlineData("http://[::]:0")]
    public void ReachableFromOtherMachines_WithoutAToken_IsRefusedAtStart(string address)
    {
        using var coordinator = ProgramProcess.Start("coordinator.dll", ["--listen", "http://127.0.0.1:0", "--dashboard-listen", address]);

        Assert.Equal(2, coordinator.WaitForExit());
        Assert.Contains("--dashboard-listen", coordinator.Output, StringComparison.Ordinal);
        Assert.Contains("no token is set", coordinator.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void NotAnAddress_IsRefusedAtStart()
    {
        using var coordinator = ProgramProcess.Start("coordinator.dll", ["--listen", "http://127.0.0.1:0", "--dashboard-listen", "unix:dashboard.sock"]);

        Assert.Equal(2, coordinator.WaitForExit());
        Assert.Contains("--dashboard-listen", coordinator.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithAToken_EveryRequestNeedsIt_AndTheBrowserGetsACookieOnce()
    {
        string tokenFile = Path.Combine(Path.GetTempPath(), $"dashboard-token-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(tokenFile, Token);
        try
        {
            // Every address: allowed with the token.
            using var coordinator = new DashboardCoordinator(workers: 0, dashboardListen: "http://0.0.0.0:0", arguments: ["--token-file", tokenFile], token: Token);
            using var handler = new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() };
            using var browser = new HttpClient(handler) { BaseAddress = coordinator.DashboardAddress, Timeout = TestTimeouts.Default };

            foreach (string path in (string[])["", "api/status", "events", "?token=wrong"])
            {
                using var refused = await browser.GetAsync(new Uri(path, UriKind.Relative)).DefaultTimeout();
                Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            }

            using var wrongBearer = new HttpRequestMessage(HttpMethod.Get, new Uri("api/status", UriKind.Relative));
            wrongBearer.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "wrong");
            using (var refused = await browser.SendAsync(wrongBearer).DefaultTimeout())
            {
                Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            }

            using (var welcomed = await browser.GetAsync(new Uri($"?token={Token}", UriKind.Relative)).DefaultTimeout())
            {
                Assert.Equal(HttpStatusCode.SeeOther, welcomed.StatusCode);
                Assert.Equal("/", welcomed.Headers.Location?.OriginalString);
                string cookie = Assert.Single(welcomed.Headers.GetValues("Set-Cookie"));
                Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
                Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain(Token, cookie, StringComparison.Ordinal);
            }

            using (var page = await browser.GetAsync(new Uri("", UriKind.Relative)).DefaultTimeout())
            {
                Assert.Equal(HttpStatusCode.OK, page.StatusCode);
                Assert.Contains("<canvas", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }

            using (var status = await browser.GetAsync(new Uri("api/status", UriKind.Relative)).DefaultTimeout())
            {
                Assert.Equal(HttpStatusCode.OK, status.StatusCode);
            }

            // A script's way: the bearer header, as gRPC callers send it.
            using var snapshot = coordinator.Status();
            Assert.Equal("no-workers", snapshot.RootElement.GetProperty("health").GetProperty("state").GetString());
            Assert.Contains("Dashboard refused", coordinator.WaitForLine("Dashboard refused"), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(tokenFile);
        }
    }

    [Fact]
    public async Task Endpoints_AreApart_NoDashboardOnTheGrpcPort_NoGrpcOnTheDashboards()
    {
        using var coordinator = new DashboardCoordinator(workers: 0);

        // gRPC's endpoint speaks HTTP/2 only: ask it for the dashboard in HTTP/2.
        using var h2c = new HttpClient { BaseAddress = new Uri(coordinator.Address), DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
        foreach (string path in (string[])["", "api/status", "events"])
        {
            using var answer = await h2c.GetAsync(new Uri(path, UriKind.Relative)).DefaultTimeout();
            Assert.Equal(HttpStatusCode.NotFound, answer.StatusCode);
        }

        using var probe = new StatusProbe(coordinator.DashboardAddress.ToString().TrimEnd('/'));
        Assert.Throws<RpcException>(() => probe.Status());
        using var post = await coordinator.Http.PostAsync(new Uri("api/status", UriKind.Relative), new StringContent("")).DefaultTimeout();
        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);
        using var elsewhere = await coordinator.Http.GetAsync(new Uri("distributed.v1.ExecutorService/Status", UriKind.Relative)).DefaultTimeout();
        Assert.Equal(HttpStatusCode.NotFound, elsewhere.StatusCode);

        // Both still answer their own.
        using var grpc = new StatusProbe(coordinator.Address);
        Assert.Empty(grpc.Status().Workers);
        using var snapshot = coordinator.Status();
        Assert.Equal(JsonValueKind.Array, snapshot.RootElement.GetProperty("workers").ValueKind);
    }
}
