using System.Diagnostics;
using System.Runtime.InteropServices;
using Distributed.Coordinator.Supervision;

namespace Distributed.Coordinator.Tests.Supervision;

/// <summary>
/// A pool turns tiered compilation off for a worker program precompiled for the runtime it runs
/// on, and only then; the real program's marker is checked too, as the build writes it.
/// </summary>
public sealed class PrecompiledWorkerTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("precompiled-worker-");

    private string Program => Path.Combine(_folder.FullName, WorkerProgram.FileName);

    public void Dispose() => _folder.Delete(recursive: true);

    [Fact]
    public void CompiledForThisRuntime_RunsWithoutTiers()
    {
        Mark(RuntimeInformation.RuntimeIdentifier);
        var start = Tuned();
        Assert.Equal("0", start.Environment["DOTNET_TieredCompilation"]);
    }

    [Fact]
    public void CompiledForAnotherRuntime_KeepsItsTiers()
    {
        Mark(RuntimeInformation.RuntimeIdentifier == "win-arm64" ? "linux-x64" : "win-arm64");
        Assert.False(Tuned().Environment.ContainsKey("DOTNET_TieredCompilation"));
    }

    [Fact]
    public void NoMarker_KeepsItsTiers() =>
        Assert.False(Tuned().Environment.ContainsKey("DOTNET_TieredCompilation"));

    [Theory]
    [InlineData("DOTNET_TieredCompilation")]
    [InlineData("COMPlus_TieredCompilation")]
    public void AChoiceInTheEnvironment_IsLeftAlone(string variable)
    {
        Mark(RuntimeInformation.RuntimeIdentifier);
        var start = new ProcessStartInfo("worker");
        start.Environment[variable] = "1";
        PrecompiledWorker.Tune(start, Program);
        Assert.Equal("1", start.Environment[variable]);
        Assert.Equal(variable == "DOTNET_TieredCompilation", start.Environment.ContainsKey("DOTNET_TieredCompilation"));
    }

    [Fact]
    public void TheShippedWorkerProgram_NamesThisMachinesRuntime() =>
        Assert.Equal(RuntimeInformation.RuntimeIdentifier, PrecompiledWorker.CompiledFor(WorkerProgram.DefaultPath));

    private void Mark(string runtime) => File.WriteAllText(Path.Combine(_folder.FullName, PrecompiledWorker.MarkerFileName), runtime + Environment.NewLine);

    private ProcessStartInfo Tuned()
    {
        var start = new ProcessStartInfo("worker");
        start.Environment.Remove("DOTNET_TieredCompilation");
        start.Environment.Remove("COMPlus_TieredCompilation");
        PrecompiledWorker.Tune(start, Program);
        return start;
    }
}
