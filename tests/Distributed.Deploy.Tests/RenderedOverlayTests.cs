using k8s;
using k8s.Models;

namespace Distributed.Deploy.Tests;

/// <summary>
/// Each overlay as kubectl renders it (kustomize merges the base, the patches and the components):
/// strictly valid, its references whole, every object in the overlay's namespace, every image
/// pinned. What the files alone cannot show: a patch that lands on nothing, a component outside
/// the namespace, an image the overlay did not rename.
/// </summary>
public sealed class RenderedOverlayTests
{
    public static TheoryData<string> Overlays() =>
        new(Directory.EnumerateDirectories(Path.Combine(DeployFolder.Kubernetes, "overlays")).Order(StringComparer.Ordinal).Select(DeployFolder.Relative));

    [KubectlTheory]
    [MemberData(nameof(Overlays))]
    public void TheOverlay_RendersToValidObjects_WhoseReferencesHold(string overlay)
    {
        var objects = Manifests.Load(Kubectl.Kustomize(Path.Combine(DeployFolder.Kubernetes, "..", "..", overlay)));

        Assert.Contains(objects, item => item is V1Deployment { Metadata.Name: "coordinator" });
        Assert.Empty(ManifestChecks.Ports(objects));
        Assert.Empty(ManifestChecks.WorkerGrace(objects));
        Assert.Empty(ManifestChecks.ScaleTargets(objects));

        var outsideTheNamespace = objects.Where(item => item is not V1Namespace && string.IsNullOrEmpty(NamespaceOf(item))).Select(item => item.GetType().Name);
        Assert.Empty(outsideTheNamespace);

        var unpinned = objects.OfType<V1Deployment>()
            .SelectMany(deployment => deployment.Spec.Template.Spec.Containers)
            .Select(container => container.Image)
            .Where(image => !image.Contains('@', StringComparison.Ordinal) && !image[(image.LastIndexOf('/') + 1)..].Contains(':', StringComparison.Ordinal));
        Assert.Empty(unpinned);
    }

    [KubectlTheory]
    [MemberData(nameof(Overlays))]
    public void TheOverlay_ReplicasAreTheAutoscalersOrFixed_NeverBoth(string overlay)
    {
        var objects = Manifests.Load(Kubectl.Kustomize(Path.Combine(DeployFolder.Kubernetes, "..", "..", overlay)));
        var worker = Assert.Single(objects.OfType<V1Deployment>(), deployment => deployment.Metadata.Name == "worker");

        // A fixed count beside an autoscaler is reset by every apply, fighting the autoscaler.
        bool scaled = objects.OfType<ScaledObject>().Any(scaled => scaled.Spec?.ScaleTargetRef?.Name == "worker");
        Assert.True(scaled == (worker.Spec.Replicas is null), $"{overlay}: the worker Deployment's replicas is {worker.Spec.Replicas?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unset"} with{(scaled ? "" : "out")} a ScaledObject for it.");
    }

    private static string? NamespaceOf(object item) => item switch
    {
        IMetadata<V1ObjectMeta> known => known.Metadata.NamespaceProperty,
        ScaledObject scaled => scaled.Metadata?.NamespaceProperty,
        _ => null,
    };
}
