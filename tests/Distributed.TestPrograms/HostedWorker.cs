using Distributed.Futures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Distributed.TestPrograms;

/// <summary>
/// An app that is its own worker: a Generic Host with AddDistributedWorker, this assembly its
/// only task assembly, settings from its command line (<c>--Distributed:Worker:Coordinator URL</c> …).
/// </summary>
public static class HostedWorker
{
    public static int Run(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(args);
        builder.Services.AddDistributedWorker(
            builder.Configuration.GetSection("Distributed:Worker"),
            settings => settings.AddTaskAssembly(typeof(HostedWorker).Assembly));
        builder.Build().Run();

        // Main's return value would replace the exit code the worker set when it ended the host.
        return Environment.ExitCode;
    }
}
