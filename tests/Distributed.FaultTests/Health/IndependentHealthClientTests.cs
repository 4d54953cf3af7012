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

    private static string Check(string address, string service) => PythonHealthClient.Check(address, service);
}
