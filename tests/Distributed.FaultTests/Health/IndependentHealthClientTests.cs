using System.Diagnostics;
using Distributed.Futures;
using Distributed.Testing;
using Grpc.Health.V1;

namespace Distributed.FaultTests;

/// <summary>
/// The coordinator's gRPC health as a client no one here wrote sees it (the C-core binding,
/// Debian's python3-grpcio, which CI installs): what a Kubernetes gRPC probe would be told, for
/// the whole server and for each service, with workers and with tasks waiting for none.
/// </summary>
[Collection(OneFaultAtATime.Name)]
public sealed class IndependentHealthClientTests
{
    private static readonly string ExecutorServiceName = Distributed.Protocol.V1.ExecutorService.Descriptor.FullName;
    private static readonly string WorkerHubName = Distributed.Protocol.V1.WorkerHub.Descriptor.FullName;

    [Fact]
    public void EveryServiceServes_ThenTheExecutorStopsServingWhileTasksWaitForNoWorker_AndTheHubStillServes()
    {
        using var coordinator = ProgramProcess.StartCoordinator([], out string address);
        Assert.Equal("SERVING", Check(address, ""));
        Assert.Equal("SERVING", Check(address, ExecutorServiceName));
        Assert.Equal("SERVING", Check(address, WorkerHubName));
        Assert.Equal("NOT_FOUND", Check(address, "no.such.Service"));

        using var observer = new StatusProbe(address);
        using var client = new RemoteExecutor(address);
        var waiting = client.Submit(TestTasks.Square, 3);
        TestTimeouts.WaitUntil(() => observer.Health() == HealthCheckResponse.Types.ServingStatus.NotServing, "the coordinator reports the missing workers");
        Assert.Equal("NOT_SERVING", Check(address, ""));
        Assert.Equal("NOT_SERVING", Check(address, ExecutorServiceName));
        Assert.Equal("SERVING", Check(address, WorkerHubName));

        using var worker = StandaloneWorker.Start(address, "mender");
        Assert.Equal(9, waiting.Result(TestTimeouts.Default));
        TestTimeouts.WaitUntil(() => Check(address, ExecutorServiceName) == "SERVING", "the executor serves again once a worker took the task");
    }

    [Fact]
    public void Watch_StreamsEachChange_AndNotServingThenTheEnd_WhenTheCoordinatorStops()
    {
        using var coordinator = ProgramProcess.StartCoordinator([], out string address);
        using var executorWatch = Watch(address, ExecutorServiceName);
        using var hubWatch = Watch(address, WorkerHubName);
        executorWatch.WaitForLine("SERVING");
        hubWatch.WaitForLine("SERVING");

        // A change reaches the watcher as it happens (within the publisher's period), not half a
        // minute late: the task waits with no worker, then a worker takes it.
        using var client = new RemoteExecutor(address);
        var waiting = client.Submit(TestTasks.Square, 4);
        var submitted = Stopwatch.StartNew();
        executorWatch.WaitForLine("NOT_SERVING");

        // The coordinator notices within 5 s that no worker comes; the watcher within a second after.
        Assert.True(submitted.Elapsed < TimeSpan.FromSeconds(12), $"the watcher heard of the missing workers {submitted.Elapsed.TotalSeconds:F1} s after the submit");
        using (var worker = StandaloneWorker.Start(address, "watched"))
        {
            Assert.Equal(16, waiting.Result(TestTimeouts.Default));
            Assert.Equal("SERVING", executorWatch.WaitForLine("SERVING").Trim());
        }

        // Stopping: each stream says NOT_SERVING, then ends, so a watcher is never left hanging.
        ProcessTable.Signal(coordinator.Id, "TERM");
        Assert.Equal(0, coordinator.WaitForExit());
        foreach (var watch in new[] { executorWatch, hubWatch })
        {
            Assert.Equal(0, watch.WaitForExit());
            Assert.Equal(["NOT_SERVING", "END"], Statuses(watch)[^2..]);
        }

        // The hub served throughout: its watcher heard nothing else before the stop.
        Assert.All(Statuses(hubWatch)[..^2], status => Assert.Equal("SERVING", status));
    }

    /// <summary>What the watch printed of the stream, leaving out anything else on its output (the C core's own warnings, say).</summary>
    private static string[] Statuses(ProgramProcess watch) =>
        watch.Output.Split(Environment.NewLine).Select(line => line.Trim())
            .Where(line => line is "SERVING" or "NOT_SERVING" or "UNKNOWN" or "SERVICE_UNKNOWN" or "END").ToArray();

    private static string Check(string address, string service) => PythonHealthClient.Check(address, service);

    private static ProgramProcess Watch(string address, string service) => PythonHealthClient.Watch(address, service);
}
