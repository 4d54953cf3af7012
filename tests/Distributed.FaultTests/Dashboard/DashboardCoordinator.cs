using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Distributed.Client;
using Distributed.Futures;
using Distributed.Testing;

namespace Distributed.FaultTests.Dashboard;

/// <summary>
/// A real <c>coordinator</c> process serving its dashboard on a free loopback port (and gRPC on
/// another), with local workers running <see cref="TestTasks"/>; killed on dispose.
/// </summary>
internal sealed class DashboardCoordinator : IDisposable
{
    private readonly ProgramProcess _process;

    public DashboardCoordinator(int workers = 2, string dashboardListen = "http://127.0.0.1:0", IEnumerable<string>? arguments = null, string? token = null)
    {
        Token = token;
        _process = ProgramProcess.StartCoordinator(
            ["--dashboard-listen", dashboardListen, "--workers", $"{workers}", "--assembly", typeof(TestTasks).Assembly.Location, .. arguments ?? []],
            out string address);
        Address = address;
        string line = _process.WaitForLine("Dashboard at http");
        var logged = new Uri(line[line.IndexOf("http", StringComparison.Ordinal)..].Trim());

        // A dashboard on every address is asked on loopback, as a browser on this machine would.
        DashboardAddress = new UriBuilder(logged) { Host = "127.0.0.1" }.Uri;
        Http = new HttpClient { BaseAddress = DashboardAddress, Timeout = TestTimeouts.Default };
        if (token is not null)
        {
            Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
    }

    /// <summary>The gRPC address clients and workers use.</summary>
    public string Address { get; }

    /// <summary>The dashboard, as <c>http://127.0.0.1:port/</c>.</summary>
    public Uri DashboardAddress { get; }

    public string? Token { get; }

    /// <summary>Talks to the dashboard, with the token when there is one.</summary>
    public HttpClient Http { get; }

    public string Output => _process.Output;

    /// <summary>Waits for a log line the coordinator writes after answering (its output arrives through a pipe, later than the answer).</summary>
    public string WaitForLine(string text) => _process.WaitForLine(text);

    public RemoteExecutor NewClient() => new(Address, new RemoteExecutorOptions { Token = Token });

    /// <summary>Runs <paramref name="squares"/> calls of Square and, with <paramref name="failWith"/>, one call that throws it; returns once all ended.</summary>
    public void RunTasks(int squares, string? failWith = null)
    {
        using var client = NewClient();
        var futures = Enumerable.Range(1, squares).Select(i => (Future)client.Submit(TestTasks.Square, i)).ToList();
        if (failWith is not null)
        {
            futures.Add(client.Submit(TestTasks.Throw, failWith));
        }

        var (_, notDone) = Future.Wait(futures, TestTimeouts.Default);
        Assert.Empty(notDone);
    }

    /// <summary>GET /api/status, parsed.</summary>
    public JsonDocument Status()
    {
        using var response = Http.GetAsync(new Uri("api/status", UriKind.Relative)).GetAwaiter().GetResult();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET /api/status answered {response.StatusCode}. Output:\n{Output}");
        return JsonDocument.Parse(response.Content.ReadAsStringAsync().GetAwaiter().GetResult());
    }

    /// <summary>Waits until the dashboard shows <paramref name="workers"/> workers registered.</summary>
    public void WaitForWorkers(int workers) =>
        TestTimeouts.WaitUntil(
            () =>
            {
                using var status = Status();
                return status.RootElement.GetProperty("workers").GetArrayLength() == workers;
            },
            $"the dashboard shows {workers} workers");

    public void Dispose()
    {
        Http.Dispose();
        _process.Dispose();
    }
}
