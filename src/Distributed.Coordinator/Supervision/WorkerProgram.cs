using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Distributed.Coordinator.Supervision;

/// <summary>
/// Where the worker program is and what runs it. The program ships in a folder of its own,
/// <c>distributed-worker/</c>, beside this assembly: its own deps.json, runtimeconfig.json and
/// apphost would otherwise collide with the app's (a self-contained or RID-specific publish refuses
/// two files at one path). It is found relative to this assembly, never to the app's working
/// folder, so an app built anywhere, with any output path, a test under a test host, or this
/// assembly loaded straight from a NuGet cache finds it the same way.
/// </summary>
internal static class WorkerProgram
{
    public const string FileName = "worker.dll";

    /// <summary>The folder the worker program ships in, in an app's output and in the package.</summary>
    public const string FolderName = "distributed-worker";

    /// <summary>The worker program this assembly ships with (see <see cref="Candidates"/>).</summary>
    public static string DefaultPath
    {
        get
        {
            var candidates = Candidates();
            return candidates.FirstOrDefault(File.Exists) ?? candidates[0];
        }
    }

    /// <summary>
    /// Where the worker program may be, most likely first: the folder beside this assembly (any
    /// app's bin/ or publish/); the package's own folder when this assembly runs from a NuGet cache
    /// (<c>lib/net10.0/</c> is two levels below the package root); the app's base folder (a
    /// single-file app, whose assemblies have no location); and beside this assembly, where
    /// earlier builds put it.
    /// </summary>
    public static IReadOnlyList<string> Candidates()
    {
        string? assemblyFolder = Path.GetDirectoryName(typeof(WorkerProgram).Assembly.Location);
        var folders = new List<string>();
        if (!string.IsNullOrEmpty(assemblyFolder))
        {
            folders.Add(Path.Combine(assemblyFolder, FolderName));
            folders.Add(Path.GetFullPath(Path.Combine(assemblyFolder, "..", "..", FolderName)));
        }

        folders.Add(Path.Combine(AppContext.BaseDirectory, FolderName));
        if (!string.IsNullOrEmpty(assemblyFolder))
        {
            folders.Add(assemblyFolder);
        }

        return folders.Select(folder => Path.Combine(folder, FileName)).ToList();
    }

    /// <summary>
    /// How to start the worker program at <paramref name="programPath"/>: a self-contained worker
    /// (its folder holds the runtime's host policy, as a self-contained publish makes it) runs by
    /// its own apphost, needing no .NET install; in a self-contained app it runs on the app's own
    /// runtime (see <see cref="SelfContainedWorkerLayout"/>); otherwise the dotnet host that runs
    /// this process runs it, so the worker gets the same runtime. Precompiled for this runtime, it
    /// runs without tiered compilation (see <see cref="PrecompiledWorker"/>).
    /// </summary>
    public static ProcessStartInfo StartInfo(string programPath)
    {
        var start = HostFor(programPath);
        PrecompiledWorker.Tune(start, programPath);
        return start;
    }

    private static ProcessStartInfo HostFor(string programPath)
    {
        string folder = Path.GetDirectoryName(programPath) ?? ".";
        string apphost = ApphostOf(programPath);
        if (IsSelfContained(folder) && File.Exists(apphost))
        {
            return new ProcessStartInfo(apphost);
        }

        if (SelfContainedWorkerLayout.AppIsSelfContained())
        {
            return new ProcessStartInfo(SelfContainedWorkerLayout.ApphostFor(programPath));
        }

        var start = new ProcessStartInfo(DotnetHost());
        start.ArgumentList.Add(programPath);
        return start;
    }

    /// <summary>The apphost beside the program: its name without the .dll (and with .exe on Windows).</summary>
    public static string ApphostOf(string programPath) =>
        Path.Combine(Path.GetDirectoryName(programPath) ?? ".", Path.GetFileNameWithoutExtension(programPath) + (OperatingSystem.IsWindows() ? ".exe" : ""));

    private static bool IsSelfContained(string folder) =>
        File.Exists(Path.Combine(folder, OperatingSystem.IsWindows() ? "hostpolicy.dll" : OperatingSystem.IsMacOS() ? "libhostpolicy.dylib" : "libhostpolicy.so"));

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
