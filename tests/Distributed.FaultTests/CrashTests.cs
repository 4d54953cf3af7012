using Distributed.Futures;
using Distributed.Testing;

namespace Distributed.FaultTests;

/// <summary>
/// Coordinators and clients killed (SIGKILL) at random moments, start-up included: every future
/// of a killed coordinator's clients ends at once with a clear error, none hangs, workers come
/// back to the next coordinator, and a killed client's queue is freed.
/// </summary>
[Collection(OneFaultAtATime.Name)]
public sealed class CrashTests : IDisposable
{
    private static readonly TimeSpan Timeout = TestTimeouts.Default;
    private readonly string _directory = Directory.CreateTempSubdirectory("crash-").FullName;

    private string Socket => Path.Combine(_directory, "coordinator.sock");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void CoordinatorKilledAtRandomMoments_NoFutureHangs_AndTheWorkerServesTheNextOne()
    {
        var random = new Random(5);
        using var worker = ProgramProcess.Start(
            "worker.dll", ["--coordinator", $"unix:{Socket}", "--worker-id", "survivor", "--slots", "2", "--assembly", typeof(TestTasks).Assembly.Location]);
        for (int round = 0; round < 5; round++)
        {
            using var coordinator = ProgramProcess.Start("coordinator.dll", ["--listen", $"unix:{Socket}"]);
            var futures = new List<Future<int>>();
            RemoteExecutor? client = null;

            // Half the rounds kill it while it may still be starting; the others once a client is at work.
            if (round % 2 == 0)
            {
                Thread.Sleep(random.Next(0, 400));
            }
            else
            {
                coordinator.WaitForLine("Coordinator listening");
                client = new RemoteExecutor($"unix:{Socket}");
                futures.AddRange(Enumerable.Range(0, 2000).Select(i => client.Submit(TestTasks.Square, i)));
                Thread.Sleep(random.Next(0, 300));
            }

            coordinator.Kill();
            coordinator.WaitForExit();
            foreach (var (future, i) in futures.Select((f, i) => (f, i)))
            {
                var error = future.Exception(Timeout);
                Assert.True(error is null ? future.Result() == i * i : error is BrokenExecutorException, $"future {i} ended with {error}");
            }

            client?.Dispose();
        }

        using var last = ProgramProcess.Start("coordinator.dll", ["--listen", $"unix:{Socket}"]);
        last.WaitForLine("Coordinator listening");
        using var survivor = new RemoteExecutor($"unix:{Socket}");
        Assert.Equal(Enumerable.Range(0, 100).Select(i => i * i), survivor.Map(TestTasks.Square, Enumerable.Range(0, 100)));
        Assert.False(worker.HasExited, worker.Output);
    }

    [Fact]
    public void ClientsKilledAtRandomMoments_TheirQueuesAreFreed_AndOthersAreServed()
    {
        var random = new Random(6);
        using var coordinator = ProgramProcess.StartCoordinator(["--workers", "1", "--assembly", typeof(TestTasks).Assembly.Location], out string address);
        using var observer = new StatusProbe(address);
        using var gate = new TaskGate();
        for (int round = 0; round < 3; round++)
        {
            using var client = ProgramProcess.Start("Distributed.TestPrograms.dll", ["remote-client-then-wait", address, $"{gate.Port}"]);
            Thread.Sleep(random.Next(0, 1500));
            client.Kill();
            client.WaitForExit();
            TestTimeouts.WaitUntil(() => observer.Status() is { QueuedItems: 0, Clients: 0 }, $"round {round}: the killed client's queue is freed");
            gate.Open();
            TestTimeouts.WaitUntil(() => observer.Status().RunningItems == 0, $"round {round}: the killed client's running task ends");
        }

        using var member = new RemoteExecutor(address);
        Assert.Equal(25, member.Submit(TestTasks.Square, 5).Result(Timeout));
    }
}
