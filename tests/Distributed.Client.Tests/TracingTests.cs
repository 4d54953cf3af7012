using System.Diagnostics;
using Distributed.Client;
using Distributed.Futures;
using Distributed.Protocol;
using Distributed.Testing;
using Distributed.Worker;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Distributed.Client.Tests;

/// <summary>
/// One remote call seen by an OpenTelemetry SDK: the client's, the coordinator's and the worker's
/// spans in the caller's own trace. Client, coordinator and worker run in this process here, so
/// one in-memory exporter sees all three; the W3C context still crosses real gRPC streams.
/// </summary>
public sealed class TracingTests
{
    private static readonly ActivitySource Caller = new("Distributed.Client.Tests.Caller");

    [Fact]
    public void ARemoteCall_IsTracedByClientCoordinatorAndWorker_InTheCallersTrace()
    {
        var exported = new List<Activity>();
        using var tracing = Sdk.CreateTracerProviderBuilder()
            .AddSource(DistributedTelemetry.ActivitySourceName, Caller.Name)
            .AddInMemoryExporter(exported)
            .Build();
        using var cluster = TracedCluster.Start("traced-worker");

        ActivityTraceId trace;
        using (var operation = Caller.StartActivity("user operation"))
        {
            trace = operation!.TraceId;
            Assert.Equal(5, cluster.Executor.Submit(TestTasks.Add, 2, 3).Result(TestTimeouts.Default));
            Assert.Same(operation, Activity.Current);
        }

        var spans = SpansOf(exported, trace, expected: 4);
        var user = spans.Single(span => span.OperationName == "user operation");
        var call = spans.Single(span => span.OperationName == "distributed.call");
        var queue = spans.Single(span => span.OperationName == "distributed.queue");
        var run = spans.Single(span => span.OperationName == "distributed.run");

        // The call is the caller's child; the wait and the run are the call's, one after the other.
        Assert.Equal(user.SpanId, call.ParentSpanId);
        Assert.Equal(call.SpanId, queue.ParentSpanId);
        Assert.Equal(call.SpanId, run.ParentSpanId);
        Assert.Equal(ActivityKind.Client, call.Kind);
        Assert.Equal(ActivityKind.Server, run.Kind);
        Assert.Equal("call Distributed.Testing.TestTasks.Add", call.DisplayName);
        Assert.True(queue.StartTimeUtc + queue.Duration <= run.StartTimeUtc + TimeSpan.FromMilliseconds(5), "the wait ends before the run starts");

        Assert.Equal("traced-worker", run.GetTagItem("distributed.worker.id"));
        Assert.Equal("traced-worker", queue.GetTagItem("distributed.worker.id"));
        Assert.Equal(Environment.ProcessId, run.GetTagItem("process.pid"));
        Assert.Equal(Environment.MachineName, run.GetTagItem("host.name"));
        Assert.Equal(1, run.GetTagItem("distributed.attempt"));
        Assert.Equal(ActivityStatusCode.Unset, call.Status);
    }

    [Fact]
    public void AMapIsTracedPerChunk_AndAFailedCallMarksItsSpansFailed()
    {
        var exported = new List<Activity>();
        using var tracing = Sdk.CreateTracerProviderBuilder()
            .AddSource(DistributedTelemetry.ActivitySourceName, Caller.Name)
            .AddInMemoryExporter(exported)
            .Build();
        using var cluster = TracedCluster.Start("chunk-worker");

        ActivityTraceId trace;
        using (var operation = Caller.StartActivity("user map"))
        {
            trace = operation!.TraceId;
            var squares = cluster.Executor.Map(TestTasks.Square, Enumerable.Range(0, 12), chunkSize: 4).ToList();
            Assert.Equal(Enumerable.Range(0, 12).Select(i => i * i), squares);
            var failed = cluster.Executor.Submit(TestTasks.Throw, "traced failure");
            Assert.Throws<InvalidOperationException>(() => failed.Result(TestTimeouts.Default));
        }

        // 1 caller span, and per unit (3 chunks and the failing call) a call, a wait and a run.
        var spans = SpansOf(exported, trace, expected: 1 + (4 * 3));
        var calls = spans.Where(span => span.OperationName == "distributed.call").ToList();
        var runs = spans.Where(span => span.OperationName == "distributed.run").ToList();
        Assert.Equal(4, calls.Count);
        Assert.Equal(4, runs.Count);
        Assert.Equal(3, runs.Count(run => run.DisplayName == "run Distributed.Testing.TestTasks.Square" && (int)run.GetTagItem("distributed.items")! == 4));

        var failedRun = runs.Single(run => run.DisplayName == "run Distributed.Testing.TestTasks.Throw");
        var failedCall = calls.Single(call => call.SpanId == failedRun.ParentSpanId);
        Assert.Equal(ActivityStatusCode.Error, failedRun.Status);
        Assert.Equal(typeof(InvalidOperationException).FullName, failedRun.StatusDescription);
        Assert.Equal(ActivityStatusCode.Error, failedCall.Status);
        Assert.All(calls.Where(call => call != failedCall), call => Assert.Equal(ActivityStatusCode.Unset, call.Status));
    }

    /// <summary>Waits until the trace has all its spans (the client's ends just after the result arrives).</summary>
    private static List<Activity> SpansOf(List<Activity> exported, ActivityTraceId trace, int expected)
    {
        List<Activity> spans = [];
        TestTimeouts.WaitUntil(
            () =>
            {
                // The exporter appends under its processor's lock; a copy taken meanwhile may be short, never wrong.
                spans = [.. exported.ToArray().Where(span => span.TraceId == trace)];
                return spans.Count >= expected;
            },
            $"{expected} spans in the trace");
        Assert.Equal(expected, spans.Count);
        return spans;
    }

    /// <summary>A coordinator, one worker and a client, all in this process, the worker on real gRPC.</summary>
    private sealed class TracedCluster : IDisposable
    {
        private readonly TestCoordinator _coordinator;
        private readonly CancellationTokenSource _stopWorker = new();
        private readonly Task _worker;

        private TracedCluster(string workerId)
        {
            _coordinator = TestCoordinator.Start(workers: 0);
            var runtime = new WorkerRuntime(new WorkerOptions
            {
                Coordinator = CoordinatorAddress.Parse(_coordinator.Address),
                WorkerId = workerId,
                TaskAssemblyPaths = [TestCoordinator.TestTasksAssembly],
            });
            _worker = runtime.RunAsync(_stopWorker.Token);
            _coordinator.WithWorkersReady(1);
            Executor = new RemoteExecutor(_coordinator.Address);
        }

        public RemoteExecutor Executor { get; }

        public static TracedCluster Start(string workerId) => new(workerId);

        public void Dispose()
        {
            Executor.Dispose();
            _stopWorker.Cancel();
            _coordinator.Dispose();
            _worker.Wait(TestTimeouts.Default);
            _stopWorker.Dispose();
        }
    }
}
