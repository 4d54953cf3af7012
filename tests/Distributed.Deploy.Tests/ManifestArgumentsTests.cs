using System.Text.Json;
using Distributed.Testing;
using k8s.Models;

namespace Distributed.Deploy.Tests;

/// <summary>
/// The base's containers' arguments start the real executables: a schema checks the YAML, not that
/// <c>--no-worker-timeout 300</c> or <c>--drain-timeout 25</c> is an option the program takes. Only
/// what cannot be on a test machine changes: addresses become loopback port 0, the token and the
/// task assembly become files here.
/// </summary>
public sealed class ManifestArgumentsTests
{
    [Fact]
    public void TheBasesArguments_StartACoordinator_AndAWorkerThatRegistersWithIt()
    {
        string token = Path.Combine(Path.GetTempPath(), $"deploy-token-{Guid.NewGuid():N}");
        File.WriteAllText(token, "a-deploy-test-token-of-enough-length-0123456789");
        try
        {
            var deployments = ManifestSchemaTests.Base().OfType<V1Deployment>().ToList();
            var coordinatorArgs = Rewrite(ContainerOf(deployments, "coordinator").Args, new()
            {
                ["--listen"] = "http://127.0.0.1:0",
                ["--health-listen"] = "http://127.0.0.1:0",
                ["--metrics-listen"] = "http://127.0.0.1:0",
                ["--token-file"] = token,
            });
            using var coordinator = ProgramProcess.Start("coordinator.dll", coordinatorArgs);
            string address = AddressIn(coordinator.WaitForLine("Coordinator listening on"));
            coordinator.WaitForLine("Metrics for Prometheus");
            coordinator.WaitForLine("gRPC health for probes");

            var workerArgs = Rewrite(ContainerOf(deployments, "worker").Args, new()
            {
                ["--coordinator"] = address,
                ["--token-file"] = token,
                ["--assembly"] = typeof(TestTasks).Assembly.Location,
            });
            using var worker = ProgramProcess.Start("worker.dll", workerArgs);

            Assert.Contains("registered with", coordinator.WaitForLine("registered with"), StringComparison.Ordinal);
            Assert.False(worker.HasExited, worker.Output);
        }
        finally
        {
            File.Delete(token);
        }
    }

    private static V1Container ContainerOf(List<V1Deployment> deployments, string name) =>
        Assert.Single(deployments, deployment => deployment.Metadata.Name == name).Spec.Template.Spec.Containers.Single();

    /// <summary>The arguments with the value after each option in <paramref name="values"/> replaced; every such option must be there.</summary>
    private static List<string> Rewrite(IList<string> args, Dictionary<string, string> values)
    {
        var rewritten = args.ToList();
        foreach (var (option, value) in values)
        {
            int at = rewritten.IndexOf(option);
            Assert.True(at >= 0 && at + 1 < rewritten.Count, $"{option} with a value is not among the arguments {string.Join(' ', args)}.");
            rewritten[at + 1] = value;
        }

        return rewritten;
    }

    /// <summary>The first address of the "listening" line (the base logs as JSON, so the line is an object).</summary>
    private static string AddressIn(string line)
    {
        using var entry = JsonDocument.Parse(line);
        string message = entry.RootElement.GetProperty("Message").GetString()!;
        return message[message.IndexOf("http://", StringComparison.Ordinal)..].Split(',', ' ')[0];
    }
}
