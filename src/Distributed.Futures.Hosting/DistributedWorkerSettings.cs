using System.Reflection;
using Distributed.Protocol;

namespace Distributed.Futures;

/// <summary>
/// A worker hosted in the app's own Generic Host (<see cref="DistributedWorkerServiceCollectionExtensions.AddDistributedWorker(Microsoft.Extensions.DependencyInjection.IServiceCollection, Microsoft.Extensions.Configuration.IConfiguration, Action{DistributedWorkerSettings}?)"/>):
/// the <c>worker</c> executable's options as settings, bindable from configuration, with its
/// defaults. The task assemblies are named in code, usually the app's own.
/// </summary>
public sealed class DistributedWorkerSettings
{
    /// <summary>The coordinator to dial: <c>http://host:port</c>, <c>https://host:port</c> or <c>unix:/path.sock</c>. Required.</summary>
    public string? Coordinator { get; set; }

    /// <summary>This worker's name in the coordinator's status and logs; default <c>{host}-{pid}</c>.</summary>
    public string? WorkerId { get; set; }

    /// <summary>How many calls run at once; default <see cref="Environment.ProcessorCount"/>.</summary>
    public int Slots { get; set; } = Environment.ProcessorCount;

    /// <summary>
    /// A file holding the shared secret (a mounted secret, such as <c>/run/secrets/token</c>).
    /// Without it, <see cref="Token"/>; without both, the <c>DISTRIBUTED_TOKEN</c> environment variable.
    /// </summary>
    public string? TokenFile { get; set; }

    /// <summary>The shared secret itself, for configuration sources that keep secrets; prefer <see cref="TokenFile"/>.</summary>
    public string? Token { get; set; }

    /// <summary>
    /// Whether to dial again, with backoff, when the coordinator is not up yet or goes away; default
    /// true. Without it a lost connection ends the worker, and with it the host (exit code 1).
    /// </summary>
    public bool Reconnect { get; set; } = true;

    /// <summary>How long to keep trying to reach the coordinator the first time, even without <see cref="Reconnect"/>; default zero, one attempt.</summary>
    public TimeSpan ConnectTimeout { get; set; }

    /// <summary>The largest message this worker takes or sends; default 64 MiB.</summary>
    public int MaxMessageBytes { get; set; } = ProtocolInfo.DefaultMaxMessageBytes;

    /// <summary>
    /// The files of the assemblies whose public static methods this worker may run, and no others
    /// (the allow-list the <c>worker</c> executable's <c>--assembly</c> makes). Configuration may
    /// add paths; <see cref="AddTaskAssembly"/> adds a loaded assembly, such as the app's own.
    /// </summary>
    public IList<string> TaskAssemblyPaths { get; } = [];

    /// <summary>Allows the public static methods of <paramref name="assembly"/>: <c>options.AddTaskAssembly(typeof(MyTasks).Assembly)</c>.</summary>
    /// <returns>These settings, for more.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="assembly"/> is null.</exception>
    /// <exception cref="ArgumentException">The assembly has no file (loaded from bytes, or a single-file app's): a worker names its task assemblies by file.</exception>
    public DistributedWorkerSettings AddTaskAssembly(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        if (string.IsNullOrEmpty(assembly.Location))
        {
            throw new ArgumentException($"The assembly {assembly.GetName().Name} has no file (loaded from bytes, or bundled into a single-file app), so a worker cannot name it as a task assembly.", nameof(assembly));
        }

        TaskAssemblyPaths.Add(assembly.Location);
        return this;
    }
}
