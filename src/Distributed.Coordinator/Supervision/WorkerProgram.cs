using System.Runtime.InteropServices;

namespace Distributed.Coordinator.Supervision;

/// <summary>
/// Where the worker program is and what runs it. The program ships beside this assembly (the
/// coordinator project references it), so it is found relative to this assembly, never to the
/// app's own folder: an app built anywhere, with any output path, or a test under a test host,
/// finds it the same way.
/// </summary>
internal static class WorkerProgram
{
    public const string FileName = "worker.dll";

    /// <summary>The worker program that ships beside the Distributed.Coordinator assembly.</summary>
    public static string DefaultPath =>
        Path.Combine(Path.GetDirectoryName(typeof(WorkerProgram).Assembly.Location) ?? AppContext.BaseDirectory, FileName);

    /// <summary>
    /// The dotnet host to run it with: the one running this process, so the worker gets the same
    /// runtime. Found from the process itself, the SDK's hint, DOTNET_ROOT, the runtime's own folder,
    /// and last the PATH.
    /// </summary>
    public static string DotnetHost()
    {
        string hostName = OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";
        var candidates = new List<string?>
        {
            Environment.ProcessPath is { } self && Path.GetFileName(self) == hostName ? self : null,
            Environment.GetEnvironmentVariable("DOTNET_HOST_PATH"),
            Environment.GetEnvironmentVariable("DOTNET_ROOT") is { } root ? Path.Combine(root, hostName) : null,

            // The runtime lives in <root>/shared/Microsoft.NETCore.App/<version>/.
            Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", "..", hostName)),
        };

        return candidates.FirstOrDefault(path => path is not null && File.Exists(path)) ?? hostName;
    }
}
