using System.Net.Sockets;
using Distributed.Futures;
using Distributed.Protocol;
using Distributed.Testing;

namespace Distributed.Client.Tests;

/// <summary>
/// Who may use a coordinator, and what it does with bad input: each offender gets its own clear
/// error, is refused or logged, and a well-behaved client keeps being served at the same time.
/// </summary>
public sealed class ClusterSecurityTests : IDisposable
{
    private const string Token = "the-right-token";
    private static readonly TimeSpan Timeout = TestTimeouts.Default;
    private readonly TestCoordinator _coordinator = TestCoordinator.Start(workers: 1, Token).WithWorkersReady(1);

    public void Dispose() => _coordinator.Dispose();

    [Theory]
    [InlineData(null)]
    [InlineData("a-wrong-token")]
    public void ClientWithoutTheToken_IsRefusedClearly_AndOthersAreServed(string? token)
    {
        using var intruder = new RemoteExecutor(_coordinator.Address, new RemoteExecutorOptions { Token = token });
        using var member = new RemoteExecutor(_coordinator.Address, new RemoteExecutorOptions { Token = Token });

        var refused = intruder.Submit(TestTasks.Square, 3);
        var served = member.Submit(TestTasks.Square, 4);

        var error = Assert.Throws<BrokenExecutorException>(() => refused.Result(Timeout));
        Assert.Contains("refused", error.Message, StringComparison.Ordinal);
        Assert.Contains("token", error.Message, StringComparison.Ordinal);
        Assert.Equal(16, served.Result(Timeout));
        Assert.Throws<BrokenExecutorException>(() => intruder.Submit(TestTasks.NoOp));
    }

    [Fact]
    public void WorkerWithAWrongToken_IsRefusedAndExits_WhileClientsAreServed()
    {
        using var worker = ProgramProcess.Start(
            "worker.dll",
            ["--coordinator", _coordinator.Address, "--no-reconnect", "--assembly", TestCoordinator.TestTasksAssembly],
            new Dictionary<string, string> { [TokenSource.EnvironmentVariable] = "a-wrong-token" });
        using var member = new RemoteExecutor(_coordinator.Address, new RemoteExecutorOptions { Token = Token });

        Assert.Equal(2, worker.WaitForExit());
        Assert.Contains("refused", worker.Output, StringComparison.Ordinal);
        Assert.Contains("wrong token", worker.Output, StringComparison.Ordinal);
        Assert.Equal(25, member.Submit(TestTasks.Square, 5).Result(Timeout));
        Assert.Single(_coordinator.Status().Workers);
    }

    [Fact]
    public void MethodOutsideTheWorkersTaskAssemblies_FailsWithAClearError_AndOthersRun()
    {
        using var member = new RemoteExecutor(_coordinator.Address, new RemoteExecutorOptions { Token = Token });

        var outside = member.Submit(NotATaskAssembly.Triple, 2);
        var inside = member.Submit(TestTasks.Square, 6);

        var error = Assert.Throws<FunctionResolutionException>(() => outside.Result(Timeout));
        Assert.Contains(typeof(NotATaskAssembly).Assembly.GetName().Name!, error.Message, StringComparison.Ordinal);
        Assert.Equal(36, inside.Result(Timeout));
    }

    [Fact]
    public void CallLargerThanTheClientsLimit_FailsThatFutureOnly()
    {
        using var member = new RemoteExecutor(_coordinator.Address, new RemoteExecutorOptions { Token = Token, MaxMessageBytes = 128 * 1024 });

        var huge = member.Submit(ProcessTasks.Length, new string('x', 1024 * 1024));
        var small = member.Submit(ProcessTasks.Length, "small");

        var error = Assert.Throws<ArgumentException>(() => huge.Result(Timeout));
        Assert.Contains("message limit", error.Message, StringComparison.Ordinal);
        Assert.Equal(5, small.Result(Timeout));
    }

    [Fact]
    public void CallLargerThanTheCoordinatorsLimit_FailsThatFutureOnly_NamingTheCoordinatorsLimit()
    {
        using var strict = TestCoordinator.Start(workers: 1, Token, options => options.MaxMessageBytes = 128 * 1024).WithWorkersReady(1);
        using var offender = new RemoteExecutor(strict.Address, new RemoteExecutorOptions { Token = Token });
        using var member = new RemoteExecutor(strict.Address, new RemoteExecutorOptions { Token = Token });
        Assert.Equal(1, member.Submit(TestTasks.Identity, 1).Result(Timeout));
        using var gate = new TaskGate();
        var before = offender.Submit(TestTasks.PassGate, gate.Port, 3);

        var huge = offender.Submit(ProcessTasks.Length, new string('x', 1024 * 1024));

        var error = Assert.Throws<ArgumentException>(() => huge.Result(Timeout));
        Assert.Contains("--max-message-bytes", error.Message, StringComparison.Ordinal);
        Assert.Contains("1,048,", error.Message, StringComparison.Ordinal);
        gate.Open();
        Assert.Equal(3, before.Result(Timeout));
        Assert.Equal(5, offender.Submit(ProcessTasks.Length, "after").Result(Timeout));
        Assert.Equal(2, member.Submit(TestTasks.Identity, 2).Result(Timeout));
    }

    [Fact]
    public void GarbageBytesOnThePort_AreDropped_AndClientsAreServedMeanwhile()
    {
        using var member = new RemoteExecutor(_coordinator.Address, new RemoteExecutorOptions { Token = Token });
        var uri = new Uri(_coordinator.Address);
        var garbage = new byte[64 * 1024];
        new Random(42).NextBytes(garbage);

        using (var vandal = new TcpClient())
        {
            vandal.Connect(uri.Host, uri.Port);
            var stream = vandal.GetStream();
            stream.ReadTimeout = (int)Timeout.TotalMilliseconds;
            var during = member.Submit(TestTasks.Square, 7);
            try
            {
                stream.Write(garbage);

                // The coordinator answers garbage by closing the connection.
                while (stream.Read(new byte[1024]) > 0)
                {
                }
            }
            catch (IOException)
            {
                // Reset by the coordinator: the same answer, less politely.
            }

            Assert.Equal(49, during.Result(Timeout));
        }

        Assert.Equal(64, member.Submit(TestTasks.Square, 8).Result(Timeout));
    }

    [Fact]
    public void Options_ListeningBeyondLoopbackWithoutAToken_AreRefusedWithTheReason()
    {
        var options = new Coordinator.Hosting.CoordinatorOptions();
        options.Listen.Add("http://0.0.0.0:5000");

        var result = new Coordinator.Hosting.CoordinatorOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains("no token", result.FailureMessage, StringComparison.Ordinal);
        options.Token = "set";
        Assert.True(new Coordinator.Hosting.CoordinatorOptionsValidator().Validate(null, options).Succeeded);
    }
}

/// <summary>A public static method whose assembly (this test assembly) is no worker's task assembly.</summary>
public static class NotATaskAssembly
{
    public static int Triple(int value) => value * 3;
}
