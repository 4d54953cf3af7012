using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Distributed.Futures;
using Distributed.Testing;

namespace Distributed.FaultTests;

/// <summary>
/// The standard OTLP variables make a real coordinator and its real worker processes export, over
/// OTLP/HTTP, to the receiver this test runs: the coordinator's spans, metrics and logs, the
/// worker's spans, both in the trace of the caller's own Activity, which crossed in the call.
/// </summary>
public sealed class OtlpExportTests
{
    [Fact]
    public void WithTheOtlpVariablesSet_CoordinatorAndWorkerExport_InTheCallersTrace()
    {
        using var receiver = OtlpReceiver.Start();
        var environment = new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.Address,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "100",
            ["OTEL_BLRP_SCHEDULE_DELAY"] = "100",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "300",
        };
        using var coordinator = ProgramProcess.StartCoordinator(
            ["--workers", "1", "--assembly", typeof(TestTasks).Assembly.Location], out string address, environment);

        // No listener in this process: the caller's own Activity is what the call carries.
        // Sampled, as a user's traced request is: the coordinator's and workers' samplers follow the parent.
        using var caller = new Activity("caller").SetIdFormat(ActivityIdFormat.W3C).Start();
        caller.ActivityTraceFlags = ActivityTraceFlags.Recorded;
        using (var executor = new RemoteExecutor(address))
        {
            Assert.Equal(49, executor.Submit(TestTasks.Square, 7).Result(TestTimeouts.Default));
        }

        byte[] traceId = new byte[16];
        caller.TraceId.CopyTo(traceId);
        receiver.WaitFor("/v1/traces", body => Contains(body, "queue Distributed.Testing.TestTasks.Square") && Contains(body, "coordinator") && Contains(body, traceId), "the coordinator's queue span in the caller's trace");
        receiver.WaitFor("/v1/traces", body => Contains(body, "run Distributed.Testing.TestTasks.Square") && Contains(body, "worker") && Contains(body, traceId), "the worker's run span in the caller's trace");
        receiver.WaitFor("/v1/metrics", body => Contains(body, "distributed.coordinator.tasks.completed"), "the coordinator's task counter");
        receiver.WaitFor("/v1/logs", body => Contains(body, "registered"), "the coordinator's log of the worker registering");
    }

    private static bool Contains(byte[] body, string text) => Contains(body, System.Text.Encoding.UTF8.GetBytes(text));

    private static bool Contains(byte[] body, byte[] part) => body.AsSpan().IndexOf(part) >= 0;

    /// <summary>
    /// Takes OTLP/HTTP posts on a free loopback port and keeps their bodies, protobuf as sent: the
    /// checks look for the names and ids inside them, which protobuf writes as they are.
    /// </summary>
    private sealed class OtlpReceiver : IDisposable
    {
        private readonly HttpListener _listener;
        private readonly BlockingCollection<(string Path, byte[] Body)> _posts = [];
        private readonly List<(string Path, byte[] Body)> _seen = [];
        private readonly Task _serving;

        private OtlpReceiver(HttpListener listener, string address)
        {
            _listener = listener;
            Address = address;
            _serving = Task.Run(ServeAsync);
        }

        public string Address { get; }

        public static OtlpReceiver Start()
        {
            using var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            int port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            listener.Start();
            return new OtlpReceiver(listener, $"http://127.0.0.1:{port}");
        }

        /// <summary>Waits for a post to <paramref name="path"/> whose body passes <paramref name="check"/>.</summary>
        public void WaitFor(string path, Func<byte[], bool> check, string what)
        {
            var deadline = DateTime.UtcNow + TestTimeouts.Default;
            while (!_seen.Any(post => post.Path == path && check(post.Body)))
            {
                var left = deadline - DateTime.UtcNow;
                (string Path, byte[] Body) post = default;
                Assert.True(left > TimeSpan.Zero && _posts.TryTake(out post, left), $"No OTLP post to {path} carried {what}; posts seen: {string.Join(", ", _seen.Select(p => $"{p.Path} ({p.Body.Length} B)"))}");
                _seen.Add(post);
            }
        }

        public void Dispose()
        {
            _listener.Close();
            _serving.Wait(TestTimeouts.Default);
            _posts.Dispose();
        }

        private async Task ServeAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception closed) when (closed is HttpListenerException or ObjectDisposedException or InvalidOperationException)
                {
                    return;
                }

                using var body = new MemoryStream();
                await context.Request.InputStream.CopyToAsync(body);
                _posts.Add((context.Request.Url!.AbsolutePath, body.ToArray()));
                context.Response.StatusCode = 200;
                context.Response.ContentType = "application/x-protobuf";
                context.Response.Close();
            }
        }
    }
}
