using System.Text.Json;
using Distributed.Testing;

namespace Distributed.FaultTests;

/// <summary>
/// <c>coordinator status</c> against a real coordinator: the table names its workers, <c>--json</c>
/// parses, and the exit code says healthy (0), not healthy (1: no worker), or not asked (3).
/// </summary>
public sealed class StatusCommandTests
{
    [Fact]
    public void WithAWorker_TheTableNamesIt_AndTheExitCodeIsHealthy()
    {
        using var coordinator = ProgramProcess.StartCoordinator(["--workers", "1", "--assembly", typeof(TestTasks).Assembly.Location], out string address);
        using var probe = new StatusProbe(address);
        TestTimeouts.WaitUntil(() => probe.Status().Workers.Count == 1, "the local worker registered");
        var worker = Assert.Single(probe.Status().Workers);

        var (exitCode, output) = Status("--coordinator", address);

        Assert.True(exitCode == 0, $"exit code {exitCode}:\n{output}");
        Assert.Contains("healthy", output, StringComparison.Ordinal);
        Assert.Contains("WORKER", output, StringComparison.Ordinal);
        Assert.Contains(worker.WorkerId, output, StringComparison.Ordinal);
        Assert.Contains($"{worker.Pid}", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_ParsesAndCarriesTheWorkersAndTheVerdict()
    {
        using var coordinator = ProgramProcess.StartCoordinator(["--workers", "1", "--assembly", typeof(TestTasks).Assembly.Location], out string address);
        using var probe = new StatusProbe(address);
        TestTimeouts.WaitUntil(() => probe.Status().Workers.Count == 1, "the local worker registered");

        var (exitCode, output) = Status("--coordinator", address, "--json");

        Assert.Equal(0, exitCode);
        using var json = JsonDocument.Parse(output);
        Assert.True(json.RootElement.GetProperty("healthyNow").GetBoolean());
        var status = json.RootElement.GetProperty("status");
        Assert.Equal(1, status.GetProperty("workers").GetArrayLength());
        Assert.Equal("0", status.GetProperty("queuedItems").GetString());
    }

    [Fact]
    public void WithoutWorkers_TheExitCodeIsNotHealthy_AndTheTableSaysWhy()
    {
        using var coordinator = ProgramProcess.StartCoordinator([], out string address);

        var (exitCode, output) = Status("--coordinator", address);

        Assert.Equal(1, exitCode);
        Assert.Contains("NOT HEALTHY", output, StringComparison.Ordinal);
        Assert.Contains("no worker", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Unreachable_ExitsWithThree_NamingTheAddress()
    {
        string address = $"unix:{Path.Combine(Path.GetTempPath(), $"no-coordinator-{Guid.NewGuid():N}.sock")}";

        var (exitCode, output) = Status("--coordinator", address);

        Assert.Equal(3, exitCode);
        Assert.Contains(address, output, StringComparison.Ordinal);
    }

    [Fact]
    public void WrongOrMissingToken_ExitsWithThreeSayingSo_AndTheRightOneIsAnswered()
    {
        string tokenFile = Path.Combine(Path.GetTempPath(), $"status-token-{Guid.NewGuid():N}");
        File.WriteAllText(tokenFile, "the-right-token-of-enough-length-0123456789");
        try
        {
            using var coordinator = ProgramProcess.StartCoordinator(["--token-file", tokenFile], out string address);

            var (refused, refusal) = Status("--coordinator", address);
            var (answered, table) = Status("--coordinator", address, "--token-file", tokenFile);

            Assert.Equal(3, refused);
            Assert.Contains("token", refusal, StringComparison.Ordinal);
            Assert.True(answered == 1, $"exit code {answered}:\n{table}");
            Assert.Contains("no workers connected", table, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(tokenFile);
        }
    }

    [Fact]
    public void BadWatchValue_IsRefusedAsAnInvalidOption()
    {
        var (exitCode, output) = Status("--watch", "-1");

        Assert.Equal(2, exitCode);
        Assert.Contains("--watch", output, StringComparison.Ordinal);
    }

    private static (int ExitCode, string Output) Status(params string[] arguments)
    {
        using var status = ProgramProcess.Start("coordinator.dll", ["status", .. arguments]);
        int exitCode = status.WaitForExit();
        return (exitCode, status.Output);
    }
}
