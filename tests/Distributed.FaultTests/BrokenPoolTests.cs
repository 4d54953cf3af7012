using Distributed.Futures;
using Distributed.Testing;
using Grpc.Health.V1;

namespace Distributed.FaultTests;

/// <summary>
/// A pool is broken only on evidence that workers cannot start at all, and then it says why:
/// every pending future and every later submit fails with the workers' own words, and a standalone
/// coordinator tells its clients, its status and its health service.
/// </summary>
[Collection(OneFaultAtATime.Name)]
public sealed class BrokenPoolTests : IDisposable
{
    private static readonly TimeSpan Timeout = TestTimeouts.Default;
    private readonly string _directory = Directory.CreateTempSubdirectory("broken-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void EmbeddedPool_WhoseWorkerRuntimeCannotLoad_IsBroken_WithTheHostsWords()
    {
        // The worker program without its runtimeconfig.json: the dotnet host refuses to run it.
        foreach (var file in new[] { "worker.dll", "worker.deps.json" })
        {
            File.Copy(Path.Combine(AppContext.BaseDirectory, file), Path.Combine(_directory, file));
        }

        using var pool = new ProcessPoolExecutor(new ProcessPoolOptions { MaxWorkers = 2, WorkerProgramPath = Path.Combine(_directory, "worker.dll") });

        var future = pool.Submit(TestTasks.Square, 3);

        var error = Assert.Throws<BrokenProcessPoolException>(() => future.Result(Timeout));
        Assert.Contains("could not start", error.Message, StringComparison.Ordinal);
        Assert.Contains("libhostpolicy", error.Message, StringComparison.Ordinal);
        Assert.Throws<BrokenProcessPoolException>(() => pool.Submit(TestTasks.Square, 4));
    }

    [Fact]
    public void StandaloneCoordinator_WhoseLocalWorkersCannotStart_TellsItsClientsStatusAndHealth()
    {
        string garbage = Path.Combine(_directory, "NotAnAssembly.dll");
        File.WriteAllText(garbage, "this is not an assembly");
        using var coordinator = ProgramProcess.StartCoordinator(["--workers", "2", "--assembly", garbage], out string address);
        using var observer = new StatusProbe(address);
        using var client = new RemoteExecutor(address);

        var future = client.Submit(TestTasks.Square, 3);

        var error = Assert.IsAssignableFrom<BrokenExecutorException>(future.Exception(Timeout));
        Assert.Contains("cannot start its local worker processes", error.Message, StringComparison.Ordinal);
        Assert.Contains("NotAnAssembly.dll", error.Message, StringComparison.Ordinal);
        TestTimeouts.WaitUntil(() => observer.Status().Broken.Length > 0, "the status says the pool is broken");
        Assert.Contains("NotAnAssembly.dll", observer.Status().Broken, StringComparison.Ordinal);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, observer.Health());
        coordinator.WaitForLine("The pool is broken");
        Assert.False(coordinator.HasExited);
    }
}
