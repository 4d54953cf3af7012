namespace Distributed.Deploy.Tests;

/// <summary>The repository's deploy/kubernetes folder, found upward from the test's output folder.</summary>
public static class DeployFolder
{
    /// <summary>deploy/kubernetes of the repository this test was built from.</summary>
    public static string Kubernetes { get; } = Find();

    /// <summary>Every YAML file under it: manifests, patches and kustomizations.</summary>
    public static IEnumerable<string> YamlFiles() =>
        Directory.EnumerateFiles(Kubernetes, "*.yaml", SearchOption.AllDirectories).Order(StringComparer.Ordinal);

    /// <summary>Every folder that holds a kustomization.yaml (bases, components, overlays).</summary>
    public static IEnumerable<string> Kustomizations() =>
        Directory.EnumerateFiles(Kubernetes, "kustomization.yaml", SearchOption.AllDirectories).Select(Path.GetDirectoryName).OfType<string>().Order(StringComparer.Ordinal);

    /// <summary>A path as the repository spells it, for test names and messages.</summary>
    public static string Relative(string path) => Path.GetRelativePath(Path.Combine(Kubernetes, "..", ".."), path);

    private static string Find()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Distributed.sln")))
            {
                return Path.Combine(folder.FullName, "deploy", "kubernetes");
            }
        }

        throw new DirectoryNotFoundException($"No Distributed.sln above {AppContext.BaseDirectory}: the deploy tests run from the repository's build output.");
    }
}
