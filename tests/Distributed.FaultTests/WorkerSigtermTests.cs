using System.Diagnostics;
using Distributed.Futures;
using Distributed.Testing;
using Distributed.TestPrograms;

namespace Distributed.FaultTests;

/// <summary>
/// The worker executable asked to stop, as a container runtime asks (SIGTERM): it drains, so what
/// it runs finishes there and the rest goes to other workers, counted; or, past its drain timeout,
/// it leaves at once and the coordinator runs what it held elsewhere. Real coordinator and worker
/// processes, each test with its own coordinator on a free port.
/// </summary>
public sealed class WorkerSigtermTests
{
    [Fact]
    public void Sigterm_FinishesTheRunningCalls_HandsBackTheQueued_AndExitsZero()
    {
        using var coordinator = ProgramProcess.StartCoordinator([], out string address);
        using var gate = new TaskGate();
        using var first = StartWorker(address, "term-first", "--drain-timeout", "60");
        coordinator.WaitForLine("Worker term-first (");
        using var executor = new RemoteExecutor(address);
        var futures = Enumerable.Range(0, 6).Select(i => executor.Submit(HostedWorkerTasks.SquareAfterGate, gate.Port, i)).ToList();

        // Both slots hold a call at the gate; four wait in the coordinator's queue.
        gate.WaitForArrivals(2);
        ProcessTable.Signal(first.Id, "TERM");
        coordinator.WaitForLine("Worker term-first is leaving");
        using var second = StartWorker(address, "term-second");
        gate.Open();

        Assert.Equal(0, first.WaitForExit());
        var ranOn = RanOn(futures);
        Assert.Equal(2, ranOn.Count(pid => pid == first.Id));
        Assert.Equal(4, ranOn.Count(pid => pid == second.Id));
        Assert.Equal(6, gate.Arrivals);
        Assert.Contains("SIGTERM: draining", first.Output, StringComparison.Ordinal);
        coordinator.WaitForLine("Worker term-first left");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Sigterm_WhenTheDrainTimesOutOrASecondSignalComes_LeavesAtOnce_AndItsCallsRunElsewhere(bool secondSignal)
    {
        using var coordinator = ProgramProcess.StartCoordinator([], out string address);
        using var gate = new TaskGate();
        using var first = StartWorker(address, "stuck-first", "--drain-timeout", secondSignal ? "600" : "0.5");
        coordinator.WaitForLine("Worker stuck-first (");
        using var executor = new RemoteExecutor(address);
        var futures = Enumerable.Range(0, 4).Select(i => executor.Submit(HostedWorkerTasks.SquareAfterGate, gate.Port, i)).ToList();

        // The two calls it runs never pass the gate while it drains: the timeout, or a second
        // SIGTERM, ends it.
        gate.WaitForArrivals(2);
        var stopping = Stopwatch.StartNew();
        ProcessTable.Signal(first.Id, "TERM");
        if (secondSignal)
        {
            first.WaitForLine("SIGTERM: draining");
            ProcessTable.Signal(first.Id, "TERM");
        }

        Assert.Equal(1, first.WaitForExit());
        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(15), $"the worker took {stopping.Elapsed} to leave");
        Assert.Contains(secondSignal ? "SIGTERM again: leaving at once" : "The drain did not finish in time", first.Output, StringComparison.Ordinal);

        using var second = StartWorker(address, "stuck-second");
        gate.Open();
        var ranOn = RanOn(futures);
        Assert.Equal(4, ranOn.Count(pid => pid == second.Id));
    }

    /// <summary>Waits for every result, checks each square, and says which process ran each.</summary>
    private static List<int> RanOn(List<Future<string>> futures)
    {
        var results = futures.Select(f => HostedWorkerTasks.ReadResult(f.Result(TestTimeouts.Default))).ToList();
        Assert.Equal(Enumerable.Range(0, futures.Count).Select(i => i * i), results.Select(r => r.Square));
        return results.Select(r => r.Pid).ToList();
    }

    private static ProgramProcess StartWorker(string address, string id, params string[] more) =>
        ProgramProcess.Start(
            "worker.dll",
            ["--coordinator", address, "--worker-id", id, "--slots", "2", "--assembly", typeof(HostedWorkerTasks).Assembly.Location, .. more]);
}
