using System.Runtime.InteropServices;

namespace Distributed.Protocol.Functions;

/// <summary>
/// Assemblies that are never task assemblies: the framework (by name and by location) and the
/// infrastructure of this library. A worker that would run <c>File.Delete</c> because a message
/// named it would be a remote shell.
/// </summary>
internal static class FrameworkAssemblies
{
    private static readonly string[] s_deniedPrefixes = ["System.", "Microsoft.", "Grpc."];

    private static readonly HashSet<string> s_deniedNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "System", "mscorlib", "netstandard", "WindowsBase", "Google.Protobuf",
        "Distributed.Futures", "Distributed.Protocol", "Distributed.Worker", "Distributed.Coordinator", "Distributed.Client",
    };

    private static readonly StringComparison s_pathComparison =
        OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

    private static readonly string[] s_runtimeDirectories = RuntimeDirectories();

    /// <summary>Why the assembly may not be a task assembly, or null if it may.</summary>
    public static string? Rejection(string simpleName, string? location)
    {
        if (s_deniedNames.Contains(simpleName) || s_deniedPrefixes.Any(p => simpleName.StartsWith(p, StringComparison.OrdinalIgnoreCase)))
        {
            return $"'{simpleName}' is a framework or infrastructure assembly";
        }

        if (!string.IsNullOrEmpty(location) && s_runtimeDirectories.FirstOrDefault(d => IsUnder(location, d)) is { } directory)
        {
            return $"'{simpleName}' lies in the runtime directory {directory}";
        }

        return null;
    }

    private static bool IsUnder(string path, string directory) => Path.GetFullPath(path).StartsWith(directory, s_pathComparison);

    private static string[] RuntimeDirectories()
    {
        var candidates = new List<string> { RuntimeEnvironment.GetRuntimeDirectory() };
        if (Path.GetDirectoryName(typeof(object).Assembly.Location) is { Length: > 0 } coreLibDirectory)
        {
            candidates.Add(coreLibDirectory);
        }

        // The runtime directory is .../shared/Microsoft.NETCore.App/<version>/; its sibling shared
        // frameworks (ASP.NET Core, Windows Desktop) are framework too.
        var shared = Directory.GetParent(Path.TrimEndingDirectorySeparator(candidates[0]))?.Parent;
        if (shared is { Name: "shared" })
        {
            candidates.Add(shared.FullName);
        }

        // A self-contained app carries the runtime in its own directory, beside its task
        // assemblies; there only the names tell framework from task.
        string appDirectory = WithSeparator(AppContext.BaseDirectory);
        return candidates
            .Where(c => c.Length > 0)
            .Select(WithSeparator)
            .Where(c => !appDirectory.StartsWith(c, s_pathComparison))
            .Distinct(StringComparer.Ordinal)
            .ToArray();
    }

    private static string WithSeparator(string directory) =>
        Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory)) + Path.DirectorySeparatorChar;
}
