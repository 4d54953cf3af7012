using System.Diagnostics;
using Distributed.Futures;
using Distributed.Testing;
using Grpc.Health.V1;

namespace Distributed.FaultTests;

/// <summary>
/// Nothing waits silently: while tasks are queued and no worker at all is connected, the log,
/// the status and the health service say so, and after the no-worker timeout the queued tasks
/// fail with an error that says why. The pool itself is not broken: once a worker comes, it serves.
/// </summary>
[Collection(OneFaultAtATime.Name)]
public sealed class NoWorkerTests
{
    private static readonly TimeSpan Timeout = TestTimeouts.Default;
    private static readonly string ExecutorServiceName = Distributed.Protocol.V1.ExecutorService.Descriptor.FullName;
    private static readonly string WorkerHubName = Distributed.Protocol.V1.WorkerHub.Descriptor.FullName;

    [Fact]
    public void StandaloneCoordinatorWhoseWorkerDiesForGood_SaysSo_ThenFailsTheQueueAfterTheTimeout()
    {
        var noWorkerTimeout = TimeSpan.FromSeconds(4);
        using var coordinator = ProgramProcess.StartCoordinator(["--no-worker-timeout", $"{noWorkerTimeout.TotalSeconds}"], out string address);
        using var observer = new StatusProbe(address);
        using var worker = StandaloneWorker.Start(address, "doomed");
        TestTimeouts.WaitUntil(() => observer.Status().Workers.Count == 1, "the worker registered");
        using var gate = new TaskGate();
        using var client = new RemoteExecutor(address);
        var running = client.Submit(TestTasks.PassGate, gate.Port, 1);
        gate.WaitForArrivals(1);
        var queued = Enumerable.Range(0, 5).Select(i => client.Submit(TestTasks.Identity, i)).ToList();
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, observer.Health());
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, observer.Health(ExecutorServiceName));
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, observer.Health(WorkerHubName));

        var watch = Stopwatch.StartNew();
        worker.Kill();

        TestTimeouts.WaitUntil(() => observer.Health() == HealthCheckResponse.Types.ServingStatus.NotServing, "the health service reports the missing workers");
        // The executor is not serving; the hub workers dial still is, so a readiness probe on it
        // keeps the coordinator reachable for the workers that would mend this.
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, observer.Health(ExecutorServiceName));
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, observer.Health(WorkerHubName));
        var status = observer.Status();
        Assert.Empty(status.Workers);
        Assert.True(status.WithoutWorkersMs > 0, "the status says how long the tasks have waited");
        Assert.Equal((ulong)noWorkerTimeout.TotalMilliseconds, status.NoWorkerTimeoutMs);
        coordinator.WaitForLine("No worker is connected");

        foreach (var future in queued.Append(running))
        {
            var error = Assert.IsType<BrokenExecutorException>(future.Exception(Timeout));
            Assert.Contains("--no-worker-timeout", error.Message, StringComparison.Ordinal);
            Assert.Contains(future == running ? "running on a worker that died" : "never ran", error.Message, StringComparison.Ordinal);
        }

        Assert.True(watch.Elapsed >= noWorkerTimeout, $"the queue failed after {watch.Elapsed.TotalSeconds:F1} s, before the timeout");
        coordinator.WaitForLine("queued tasks failed: no worker was connected");
        TestTimeouts.WaitUntil(() => observer.Health() == HealthCheckResponse.Types.ServingStatus.Serving, "health recovers once nothing waits");

        // Not broken: a worker that comes back serves at once.
        using var replacement = StandaloneWorker.Start(address, "replacement");
        gate.Open();
        Assert.Equal(49, client.Submit(TestTasks.Square, 7).Result(Timeout));
    }

    [Fact]
    public void EmbeddedPoolWhoseWorkersAreKilledBeforeTheyRegister_FailsTheQueueAfterTheTimeout_AndRecovers()
    {
        using var pool = new ProcessPoolExecutor(new ProcessPoolOptions { MaxWorkers = 2, NoWorkerTimeout = TimeSpan.FromSeconds(3) });
        List<Future<int>> queued;
        using (var loop = new KillLoop(() => pool.WorkerProcessIds, TimeSpan.FromMilliseconds(15), seed: 3))
        {
            queued = Enumerable.Range(0, 10).Select(i => pool.Submit(TestTasks.Square, i)).ToList();
            foreach (var future in queued)
            {
                var error = Assert.IsType<BrokenExecutorException>(future.Exception(Timeout));
                Assert.Contains("ProcessPoolOptions.NoWorkerTimeout", error.Message, StringComparison.Ordinal);
                Assert.Contains("before registering", error.Message, StringComparison.Ordinal);
            }
        }

        // Churn is not breakage: with the killing over, the pool serves.
        Assert.Equal(49, pool.Submit(TestTasks.Square, 7).Result(Timeout));
    }
}
