using Distributed.Futures;
using Distributed.Protocol.V1;
using Distributed.Testing;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;

namespace Distributed.FaultTests;

/// <summary>
/// <c>--health-listen</c>, the plaintext port a Kubernetes gRPC probe asks when the main port is
/// TLS: a coordinator with a token answers health there without it, the same answers as its main
/// port, per service, and refuses everything else there, the token or not.
/// </summary>
public sealed class HealthPortTests
{
    private const string Token = "a-health-port-token-of-enough-length-0123456789";
    private static readonly string ExecutorServiceName = ExecutorService.Descriptor.FullName;
    private static readonly string WorkerHubName = WorkerHub.Descriptor.FullName;

    [Fact]
    public void WithAToken_TheHealthPortAnswersWithoutIt_AsTheMainPortDoes_ServiceByService()
    {
        using var token = new TokenFile();
        using var coordinator = ProgramProcess.StartCoordinator(["--token-file", token.Path, "--health-listen", "http://127.0.0.1:0"], out string address);
        string health = HealthAddress(coordinator);
        Assert.NotEqual(new Uri(address).Port, new Uri(health).Port);
        Assert.Equal("SERVING", PythonHealthClient.Check(health, ""));
        Assert.Equal("SERVING", PythonHealthClient.Check(health, ExecutorServiceName));
        Assert.Equal("SERVING", PythonHealthClient.Check(health, WorkerHubName));
        Assert.Equal("NOT_FOUND", PythonHealthClient.Check(health, "no.such.Service"));

        // Tasks waiting for no worker: the whole coordinator and the executor stop serving, the hub
        // (what readiness asks) goes on; the health port must say the same as the main port.
        using var observer = new StatusProbe(address);
        var client = new RemoteExecutor(address, new RemoteExecutorOptions { Token = Token });
        try
        {
            client.Submit(TestTasks.Square, 3);
            TestTimeouts.WaitUntil(() => observer.Health() == HealthCheckResponse.Types.ServingStatus.NotServing, "the coordinator reports the missing workers");
            Assert.Equal("NOT_SERVING", PythonHealthClient.Check(health, ""));
            Assert.Equal("NOT_SERVING", PythonHealthClient.Check(health, ExecutorServiceName));
            Assert.Equal("SERVING", PythonHealthClient.Check(health, WorkerHubName));
        }
        finally
        {
            client.Shutdown(wait: false, cancelFutures: true);
            client.Dispose();
        }
    }

    [Fact]
    public async Task TheHealthPort_RefusesEveryOtherCall_EvenWithTheToken()
    {
        using var token = new TokenFile();
        using var coordinator = ProgramProcess.StartCoordinator(["--token-file", token.Path, "--health-listen", "http://127.0.0.1:0"], out string address);
        string health = HealthAddress(coordinator);
        using var healthChannel = GrpcChannel.ForAddress(health);
        using var mainChannel = GrpcChannel.ForAddress(address);
        var withToken = new Metadata { { "authorization", $"Bearer {Token}" } };
        var deadline = DateTime.UtcNow + TestTimeouts.Default;

        var served = await new Health.HealthClient(healthChannel).CheckAsync(new HealthCheckRequest { Service = WorkerHubName }, deadline: deadline);
        var statusThere = await Assert.ThrowsAsync<RpcException>(() =>
            new ExecutorService.ExecutorServiceClient(healthChannel).StatusAsync(new StatusRequest(), withToken, deadline).ResponseAsync);
        var connectThere = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            using var connect = new WorkerHub.WorkerHubClient(healthChannel).Connect(withToken, deadline);
            await connect.ResponseStream.MoveNext();
        });
        var statusOnMainWithoutToken = await Assert.ThrowsAsync<RpcException>(() =>
            new ExecutorService.ExecutorServiceClient(mainChannel).StatusAsync(new StatusRequest(), deadline: deadline).ResponseAsync);
        var statusOnMain = await new ExecutorService.ExecutorServiceClient(mainChannel).StatusAsync(new StatusRequest(), withToken, deadline);

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, served.Status);
        Assert.Equal(StatusCode.Unimplemented, statusThere.StatusCode);
        Assert.Equal(StatusCode.Unimplemented, connectThere.StatusCode);
        Assert.Equal(StatusCode.Unauthenticated, statusOnMainWithoutToken.StatusCode);
        Assert.NotNull(statusOnMain);
    }

    [Theory]
    [InlineData("http://0.0.0.0:0", "can be reached from other machines")]
    [InlineData("https://127.0.0.1:0", "is not an address to listen on")]
    [InlineData("127.0.0.1:8081", "is not an address to listen on")]
    public void ABadHealthAddress_IsRefusedAtStart_NamingTheOption(string listen, string why)
    {
        using var coordinator = ProgramProcess.Start("coordinator.dll", ["--listen", "http://127.0.0.1:0", "--health-listen", listen]);

        Assert.Equal(2, coordinator.WaitForExit());
        Assert.Contains($"--health-listen: {listen}", coordinator.Output, StringComparison.Ordinal);
        Assert.Contains(why, coordinator.Output, StringComparison.Ordinal);
    }

    private static string HealthAddress(ProgramProcess coordinator)
    {
        string line = coordinator.WaitForLine("gRPC health for probes (plaintext, no token) at http://");
        return line[line.IndexOf("http://", StringComparison.Ordinal)..].Trim();
    }

    /// <summary>The coordinator's token in a file of its own, deleted after the test.</summary>
    private sealed class TokenFile : IDisposable
    {
        public TokenFile() => File.WriteAllText(Path, Token);

        public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"health-token-{Guid.NewGuid():N}");

        public void Dispose() => File.Delete(Path);
    }
}
