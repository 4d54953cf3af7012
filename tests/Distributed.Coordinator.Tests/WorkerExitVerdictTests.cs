using Distributed.Coordinator.Supervision;

namespace Distributed.Coordinator.Tests;

/// <summary>Which exits of a worker process are churn (replace it) and which are evidence that workers cannot start.</summary>
public sealed class WorkerExitVerdictTests
{
    private const int InitializerFailed = 3;

    [Theory]
    [InlineData(true, 137)]
    [InlineData(true, 0)]
    [InlineData(true, 42)]
    [InlineData(false, 137)]
    [InlineData(false, 143)]
    [InlineData(false, 1)]
    [InlineData(false, 0)]
    public void KilledOrDisconnectedWorkers_AreChurn(bool registered, int exitCode) =>
        Assert.Equal(WorkerExitKind.Churn, WorkerExitVerdict.Judge(registered, exitCode, [], InitializerFailed).Kind);

    [Fact]
    public void ARegisteredWorkerThatSaidSomethingAndDied_IsChurn_ForItServedBeforeItDied() =>
        Assert.Equal(WorkerExitKind.Churn, WorkerExitVerdict.Judge(true, 134, ["Unhandled exception. System.Exception: boom"], InitializerFailed).Kind);

    [Fact]
    public void TheHostRefusingToRunTheProgram_IsAStartFailure_WithItsWordsAsEvidence()
    {
        var verdict = WorkerExitVerdict.Judge(false, 131, ["A fatal error was encountered. The library 'libhostpolicy.so' required to execute the application was not found."], InitializerFailed);

        Assert.Equal(WorkerExitKind.StartFailure, verdict.Kind);
        Assert.Contains("libhostpolicy.so", verdict.Evidence, StringComparison.Ordinal);
        Assert.Contains("exit code 131", verdict.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public void AProgramThatGaveUpOnItsOwnBeforeRegistering_IsAStartFailure() =>
        Assert.Equal(WorkerExitKind.StartFailure, WorkerExitVerdict.Judge(false, 2, ["worker: --assembly: nope.dll does not exist"], InitializerFailed).Kind);

    [Fact]
    public void TheInitializerFailing_IsNamedSo_EvenAfterRegistering()
    {
        var verdict = WorkerExitVerdict.Judge(true, InitializerFailed, [], InitializerFailed);

        Assert.Equal(WorkerExitKind.InitializerFailed, verdict.Kind);
        Assert.Contains("initializer", verdict.Evidence, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(137, "exit code 137 (signal 9, SIGKILL)")]
    [InlineData(139, "exit code 139 (signal 11, SIGSEGV)")]
    [InlineData(42, "exit code 42")]
    public void ExitCodes_AreDescribedAsTheKernelMeantThem(int exitCode, string description) =>
        Assert.Equal(description, Signals.DescribeExit(exitCode));
}
