using System.Text.RegularExpressions;
using k8s.Models;

namespace Distributed.Deploy.Tests;

/// <summary>The Kubernetes objects deploy/README.md shows (the HPA alternative) are as valid as the shipped ones.</summary>
public sealed partial class ReadmeManifestTests
{
    [Fact]
    public void EveryObjectInTheReadme_LoadsStrictly_AndScalesTheWorkers()
    {
        string readme = File.ReadAllText(Path.Combine(DeployFolder.Kubernetes, "..", "README.md"));

        // Only blocks that are Kubernetes objects: the Prometheus scrape config is not one.
        var objects = YamlBlock().Matches(readme)
            .Select(block => block.Groups["yaml"].Value)
            .Where(yaml => yaml.Contains("apiVersion:", StringComparison.Ordinal))
            .SelectMany(Manifests.Load)
            .ToList();

        var autoscaler = Assert.Single(objects.OfType<V2HorizontalPodAutoscaler>());
        Assert.Equal("worker", autoscaler.Spec.ScaleTargetRef.Name);
        Assert.Contains(ManifestSchemaTests.Base().OfType<V1Deployment>(), deployment => deployment.Metadata.Name == autoscaler.Spec.ScaleTargetRef.Name);
    }

    [GeneratedRegex("```yaml\\n(?<yaml>.*?)```", RegexOptions.Singleline)]
    private static partial Regex YamlBlock();
}
