using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json;

using Distributed.Futures;
using Distributed.Testing;

namespace Distributed.FaultTests;

/// <summary>
/// A real Prometheus server (Debian's <c>prometheus</c>, which CI installs) scrapes a real
/// coordinator's <c>--metrics-listen</c> endpoint while tasks run, and its query API then answers
/// with the coordinator's completed-task counts, by outcome.
/// </summary>
public sealed class PrometheusScrapeTests
{
    private const string PrometheusProgram = "/usr/bin/prometheus";

    [Fact]
    public async Task Prometheus_ScrapesTheCoordinator_AndCountsItsCompletedTasksByOutcome()
    {
        Assert.True(File.Exists(PrometheusProgram), $"This test needs a Prometheus server at {PrometheusProgram} (Debian's package prometheus; .ci/run installs it).");
        using var coordinator = ProgramProcess.StartCoordinator(
            ["--workers", "2", "--assembly", typeof(TestTasks).Assembly.Location, "--metrics-listen", "http://127.0.0.1:0"], out string address);
        string metrics = MetricsAddress(coordinator);
        using var prometheus = PrometheusServer.Start(new Uri(metrics));

        const int Succeeding = 41;
        const int Throwing = 3;
        using (var executor = new RemoteExecutor(address))
        {
            var futures = Enumerable.Range(0, Succeeding).Select(i => (Future)executor.Submit(TestTasks.Square, i))
                .Concat(Enumerable.Range(0, Throwing).Select(i => (Future)executor.Submit(TestTasks.Throw, $"failure {i}")))
                .ToList();
            Assert.Empty(Future.Wait(futures, TestTimeouts.Default).NotDone);
        }

        // Prometheus scrapes every second; wait until its answer reflects the whole run.
        double? results = null, exceptions = null;
        var deadline = DateTime.UtcNow + TestTimeouts.Default;
        while ((results != Succeeding || exceptions != Throwing) && DateTime.UtcNow < deadline)
        {
            results = await prometheus.QueryAsync("sum(distributed_coordinator_tasks_completed_total{outcome=\"result\"})");
            exceptions = await prometheus.QueryAsync("sum(distributed_coordinator_tasks_completed_total{outcome=\"exception\"})");
            if (results != Succeeding || exceptions != Throwing)
            {
                await prometheus.NextScrapeAsync();
            }
        }

        Assert.Equal(Succeeding, results);
        Assert.Equal(Throwing, exceptions);
        Assert.Equal(2, await prometheus.QueryAsync("distributed_coordinator_workers"));
        Assert.Equal(1, await prometheus.QueryAsync("up{job=\"coordinator\"}"));
    }

    [Fact]
    public async Task WithAToken_TheScrapeEndpointRefusesRequestsWithoutIt()
    {
        string tokenFile = Path.Combine(Path.GetTempPath(), $"metrics-token-{Guid.NewGuid():N}");
        File.WriteAllText(tokenFile, "a-metrics-token-of-enough-length-0123456789");
        try
        {
            using var coordinator = ProgramProcess.StartCoordinator(["--token-file", tokenFile, "--metrics-listen", "http://127.0.0.1:0"], out _);
            string metrics = MetricsAddress(coordinator);
            using var http = new HttpClient { Timeout = TestTimeouts.Default };

            using var refused = await http.GetAsync(new Uri(metrics));
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(metrics));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", File.ReadAllText(tokenFile));
            using var answered = await http.SendAsync(request);

            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
            string exposition = await answered.Content.ReadAsStringAsync();
            Assert.Contains("distributed_coordinator_workers", exposition, StringComparison.Ordinal);

            // What the KEDA component's query (deploy/kubernetes/components/keda) scales workers on.
            Assert.Contains("distributed_coordinator_queue_depth{", exposition, StringComparison.Ordinal);
            Assert.Contains("distributed_coordinator_tasks_running{", exposition, StringComparison.Ordinal);
            Assert.Contains("Refused a metrics request", coordinator.WaitForLine("Refused a metrics request"), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(tokenFile);
        }
    }

    [Theory]
    [InlineData("http://0.0.0.0:0", "can be reached from other machines")]
    [InlineData("https://127.0.0.1:0", "is not an address to listen on")]
    [InlineData("127.0.0.1:9464", "is not an address to listen on")]
    public void ABadMetricsAddress_IsRefusedAtStart_NamingTheOption(string listen, string why)
    {
        using var coordinator = ProgramProcess.Start("coordinator.dll", ["--listen", "http://127.0.0.1:0", "--metrics-listen", listen]);

        Assert.Equal(2, coordinator.WaitForExit());
        Assert.Contains($"--metrics-listen: {listen}", coordinator.Output, StringComparison.Ordinal);
        Assert.Contains(why, coordinator.Output, StringComparison.Ordinal);
    }

    private static string MetricsAddress(ProgramProcess coordinator)
    {
        string line = coordinator.WaitForLine("Metrics for Prometheus at http://");
        return line[line.IndexOf("http://", StringComparison.Ordinal)..].Trim();
    }

    /// <summary>A Prometheus server on a free loopback port, scraping one target every second, its data in a temporary folder.</summary>
    private sealed class PrometheusServer : IDisposable
    {
        private readonly ProgramProcess _process;
        private readonly string _folder;
        private readonly HttpClient _http;

        private PrometheusServer(ProgramProcess process, string folder, Uri api)
        {
            _process = process;
            _folder = folder;
            _http = new HttpClient { BaseAddress = api, Timeout = TestTimeouts.Default };
        }

        public static PrometheusServer Start(Uri target)
        {
            string folder = Directory.CreateTempSubdirectory("prometheus-test-").FullName;
            string config = Path.Combine(folder, "prometheus.yml");
            File.WriteAllText(config, $"""
                global:
                  scrape_interval: 1s
                  scrape_timeout: 1s
                scrape_configs:
                  - job_name: coordinator
                    metrics_path: {target.AbsolutePath}
                    static_configs:
                      - targets: ['{target.Authority}']
                """);
            int port = FreePort();
            var process = ProgramProcess.StartNative(PrometheusProgram, [
                $"--config.file={config}",
                $"--storage.tsdb.path={Path.Combine(folder, "data")}",
                $"--web.listen-address=127.0.0.1:{port}",
                "--log.level=warn",
            ]);
            var server = new PrometheusServer(process, folder, new Uri($"http://127.0.0.1:{port}/"));
            server.WaitUntilReady();
            return server;
        }

        /// <summary>The query's single value, or null while it has none.</summary>
        public async Task<double?> QueryAsync(string query)
        {
            using var response = await _http.GetAsync(new Uri($"api/v1/query?query={Uri.EscapeDataString(query)}", UriKind.Relative));
            response.EnsureSuccessStatusCode();
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            var result = json.RootElement.GetProperty("data").GetProperty("result");
            return result.GetArrayLength() == 0
                ? null
                : double.Parse(result[0].GetProperty("value")[1].GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        }

        /// <summary>Waits for the target's next scrape to be recorded (its last-scrape time moves on).</summary>
        public async Task NextScrapeAsync()
        {
            double? last = await QueryAsync("timestamp(up{job=\"coordinator\"})");
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
            while (DateTime.UtcNow < deadline && await QueryAsync("timestamp(up{job=\"coordinator\"})") == last)
            {
                // Prometheus offers no notification of a scrape: ask its API again shortly.
                await Task.Delay(100);
            }
        }

        public void Dispose()
        {
            _http.Dispose();
            _process.Dispose();
            Directory.Delete(_folder, recursive: true);
        }

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        private void WaitUntilReady() =>
            TestTimeouts.WaitUntil(
                () =>
                {
                    Assert.False(_process.HasExited, $"prometheus exited:{Environment.NewLine}{_process.Output}");
                    try
                    {
                        using var ready = _http.GetAsync(new Uri("-/ready", UriKind.Relative)).GetAwaiter().GetResult();
                        return ready.IsSuccessStatusCode;
                    }
                    catch (HttpRequestException)
                    {
                        return false;
                    }
                },
                "prometheus ready");
    }
}
