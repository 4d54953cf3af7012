using System.Diagnostics;
using Distributed.Testing;
using Distributed.TestPrograms;

namespace Distributed.Futures.Hosting.Tests;

/// <summary>
/// An app hosting a worker (Distributed.TestPrograms hosted-worker: a Generic Host with
/// AddDistributedWorker, its own assembly the task assembly), run as a process against a real
/// coordinator process, each test with its own on a free port.
/// </summary>
public sealed class HostedWorkerTests
{
    // Well above what the drain takes here, well below the test's own timeout.
    private static readonly TimeSpan s_shutdownTimeout = TimeSpan.FromSeconds(20);

    [Fact]
    public void Sigterm_WhileRunningTasks_FinishesThem_HandsBackTheRest_AndExitsZero()
    {
        using var coordinator = ProgramProcess.StartCoordinator([], out string address);
        using var gate = new TaskGate();
        using var first = StartHostedWorker(address, "hosted-first", slots: 2);
        coordinator.WaitForLine("Worker hosted-first (");
        using var executor = new RemoteExecutor(address);
        var futures = Enumerable.Range(0, 6).Select(i => executor.Submit(HostedWorkerTasks.SquareAfterGate, gate.Port, i)).ToList();

        // Both slots of the first worker hold a task at the gate; four tasks wait in the queue.
        gate.WaitForArrivals(2);
        var stopping = Stopwatch.StartNew();
        ProcessTable.Signal(first.Id, "TERM");
        coordinator.WaitForLine("Worker hosted-first is leaving");
        using var second = StartHostedWorker(address, "hosted-second", slots: 2);
        gate.Open();

        Assert.Equal(0, first.WaitForExit());
        Assert.True(stopping.Elapsed < s_shutdownTimeout, $"the drained worker took {stopping.Elapsed} to exit");
        var results = futures.Select(f => HostedWorkerTasks.ReadResult(f.Result(TestTimeouts.Default))).ToList();
        Assert.Equal(Enumerable.Range(0, 6).Select(i => i * i), results.Select(r => r.Square));

        // The two it was running finished there; the four queued ran on the second; none ran twice.
        var ranOn = results.Select(r => r.Pid).ToList();
        Assert.Equal(2, ranOn.Count(pid => pid == first.Id));
        Assert.Equal(4, ranOn.Count(pid => pid == second.Id));
        Assert.Equal(6, gate.Arrivals);
        Assert.Contains("drained and left its coordinator as the host stops", first.Output, StringComparison.Ordinal);
        coordinator.WaitForLine("Worker hosted-first left");
    }

    [Fact]
    public void Refused_StopsTheHost_WithExitCode2_AndAnError()
    {
        string tokenFile = Path.Combine(Path.GetTempPath(), $"hosted-worker-token-{Guid.NewGuid():N}");
        string wrongTokenFile = tokenFile + ".wrong";
        File.WriteAllText(tokenFile, "the-right-token");
        File.WriteAllText(wrongTokenFile, "a-wrong-token");
        try
        {
            using var coordinator = ProgramProcess.StartCoordinator(["--token-file", tokenFile], out string address);
            using var worker = StartHostedWorker(address, "hosted-refused", slots: 1, "--Distributed:Worker:TokenFile", wrongTokenFile);

            Assert.Equal(2, worker.WaitForExit());
            Assert.Contains("Stopping the host with exit code 2", worker.Output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(tokenFile);
            File.Delete(wrongTokenFile);
        }
    }

    private static ProgramProcess StartHostedWorker(string address, string id, int slots, params string[] more) =>
        ProgramProcess.Start(
            "Distributed.TestPrograms.dll",
            [
                "hosted-worker",
                "--Distributed:Worker:Coordinator", address,
                "--Distributed:Worker:WorkerId", id,
                "--Distributed:Worker:Slots", slots.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--shutdownTimeoutSeconds", ((int)s_shutdownTimeout.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture),
                .. more,
            ]);
}
