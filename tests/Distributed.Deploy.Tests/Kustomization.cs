using YamlDotNet.Serialization;

namespace Distributed.Deploy.Tests;

/// <summary>
/// kustomize's kustomization.yaml (kind Kustomization, or Component), which the Kubernetes client
/// has no model of: the fields these manifests use and their neighbours, so that a misspelled
/// field or a wrong type fails the strict load as it does for the client's own kinds.
/// </summary>
/// <remarks>Property names are the YAML's in camel case (the client's naming convention).</remarks>
public sealed class Kustomization
{
    public string? ApiVersion { get; set; }

    public string? Kind { get; set; }

    public string? Namespace { get; set; }

    public string? NamePrefix { get; set; }

    public string? NameSuffix { get; set; }

    public List<string>? Resources { get; set; }

    public List<string>? Components { get; set; }

    public List<Image>? Images { get; set; }

    public List<Replica>? Replicas { get; set; }

    public List<Patch>? Patches { get; set; }

    public List<LabelSet>? Labels { get; set; }

    public Dictionary<string, string>? CommonAnnotations { get; set; }

    public sealed class Image
    {
        public string? Name { get; set; }

        public string? NewName { get; set; }

        public string? NewTag { get; set; }

        public string? Digest { get; set; }
    }

    public sealed class Replica
    {
        public string? Name { get; set; }

        public int Count { get; set; }
    }

    public sealed class Patch
    {
        public string? Path { get; set; }

        /// <summary>An inline patch (YAML "patch"), a strategic merge or a JSON 6902 patch as text.</summary>
        [YamlMember(Alias = "patch")]
        public string? PatchText { get; set; }

        public PatchTarget? Target { get; set; }

        public Dictionary<string, bool>? Options { get; set; }
    }

    public sealed class PatchTarget
    {
        public string? Group { get; set; }

        public string? Version { get; set; }

        public string? Kind { get; set; }

        public string? Name { get; set; }

        public string? Namespace { get; set; }

        public string? LabelSelector { get; set; }

        public string? AnnotationSelector { get; set; }
    }

    public sealed class LabelSet
    {
        public Dictionary<string, string>? Pairs { get; set; }

        public bool IncludeSelectors { get; set; }

        public bool IncludeTemplates { get; set; }
    }
}
