using Distributed.Futures;
using Distributed.Testing;

namespace Distributed.Client.Tests;

/// <summary>A standalone worker dials again, with backoff, until its coordinator is up, and again after it restarts.</summary>
public sealed class WorkerReconnectTests : IDisposable
{
    private static readonly TimeSpan Timeout = TestTimeouts.Default;
    private readonly string _directory = Directory.CreateTempSubdirectory("reconnect-").FullName;

    private string Socket => Path.Combine(_directory, "coordinator.sock");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void WorkerStartedBeforeItsCoordinator_RegistersOnceItIsUp_AndAgainAfterARestart()
    {
        using var worker = ProgramProcess.Start(
            "worker.dll", ["--coordinator", $"unix:{Socket}", "--worker-id", "early-bird", "--assembly", TestCoordinator.TestTasksAssembly]);
        string unreachable = worker.WaitForLine("Cannot reach the coordinator");
        Assert.Contains($"{Socket} does not exist", unreachable, StringComparison.Ordinal);

        RunOneTask("first start");

        // Stopped gracefully, the coordinator drains its workers; a standalone one comes back.
        worker.WaitForLine("will dial again");
        RunOneTask("restart");

        Assert.False(worker.HasExited, worker.Output);
    }

    [Fact]
    public void CoordinatorKilled_TheWorkerDialsAgain_AndServesTheNextOne()
    {
        using var worker = ProgramProcess.Start(
            "worker.dll", ["--coordinator", $"unix:{Socket}", "--worker-id", "survivor", "--assembly", TestCoordinator.TestTasksAssembly]);
        using (var crashing = ProgramProcess.Start("coordinator.dll", ["--listen", $"unix:{Socket}", "--workers", "0"]))
        {
            // The worker's own word: the coordinator counts it before its welcome is on the wire.
            worker.WaitForLine("Worker survivor registered");
            crashing.Kill();
        }

        worker.WaitForLine("Lost the connection");
        RunOneTask("crash", "survivor");
        Assert.False(worker.HasExited, worker.Output);
    }

    private void RunOneTask(string when, string workerId = "early-bird")
    {
        using var coordinator = TestCoordinator.Start(workers: 0, configure: options =>
        {
            options.Listen.Clear();
            options.Listen.Add($"unix:{Socket}");
        });
        TestTimeouts.WaitUntil(() => coordinator.Status().Workers.Any(w => w.WorkerId == workerId), $"the worker registered after the coordinator's {when}");
        using var client = new RemoteExecutor($"unix:{Socket}");
        Assert.Equal(121, client.Submit(TestTasks.Square, 11).Result(Timeout));
    }
}
