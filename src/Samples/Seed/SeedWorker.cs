using Distributed.Futures;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Distributed.Samples.Seed;

/// <summary>
/// The sample as a worker of a cluster: its own Generic Host with AddDistributedWorker, this
/// assembly its task assembly, so the image that holds the tasks is the app itself. It drains
/// on SIGTERM (docker stop, a Kubernetes rollout): the calls it runs finish, the queued ones go
/// to the other workers.
/// </summary>
public static class SeedWorker
{
    // The worker executable's option names, mapped onto the configuration keys of the section
    // (which appsettings.json or Distributed__Worker__Slots-style environment variables also fill).
    private static readonly Dictionary<string, string> s_options = new()
    {
        ["--coordinator"] = "Distributed:Worker:Coordinator",
        ["--token-file"] = "Distributed:Worker:TokenFile",
        ["--slots"] = "Distributed:Worker:Slots",
        ["--worker-id"] = "Distributed:Worker:WorkerId",
    };

    /// <summary>Runs until the host stops; the exit code is the worker's (0 drained, 1 connection lost, 2 refused).</summary>
    public static int Run(string[] args)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddCommandLine(args, s_options);
        builder.Services.AddDistributedWorker(
            builder.Configuration.GetSection("Distributed:Worker"),
            settings => settings.AddTaskAssembly(typeof(Primes).Assembly));
        builder.Build().Run();

        // Main's return value would replace the exit code the worker set when it ended the host.
        return Environment.ExitCode;
    }
}
