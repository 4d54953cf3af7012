using k8s;
using YamlDotNet.Core;

namespace Distributed.Deploy.Tests;

/// <summary>
/// Loads Kubernetes YAML with the official client's model, strictly: a field the kind does not have
/// (a misspelling) or a value of the wrong type throws, naming the line and the field. Kinds the
/// client does not know (KEDA's, kustomize's) load into this project's own strict types; any other
/// unknown kind throws.
/// </summary>
public static class Manifests
{
    private static readonly Dictionary<string, Type> s_extraKinds = new()
    {
        ["keda.sh/v1alpha1/ScaledObject"] = typeof(ScaledObject),
        ["kustomize.config.k8s.io/v1beta1/Kustomization"] = typeof(Kustomization),
        ["kustomize.config.k8s.io/v1alpha1/Component"] = typeof(Kustomization),
    };

    /// <summary>Every document of <paramref name="yaml"/>, each as its kind's type.</summary>
    /// <exception cref="InvalidDataException">A document does not fit its kind, or its kind is unknown.</exception>
    public static IReadOnlyList<object> Load(string yaml)
    {
        try
        {
            return KubernetesYaml.LoadAllFromString(yaml, s_extraKinds, strict: true);
        }
        catch (YamlException error)
        {
            // YamlDotNet names the field only when it is unknown; for a wrong type it names the
            // value's position. The line itself names the field in both cases.
            string[] lines = yaml.Split('\n');
            long line = error.Start.Line;
            string text = line >= 1 && line <= lines.Length ? lines[line - 1].Trim() : "";
            throw new InvalidDataException($"line {line}, '{text}': {Describe(error)}", error);
        }
        catch (KeyNotFoundException error)
        {
            // The client's way of saying it has no model for a document's apiVersion/kind.
            throw new InvalidDataException($"a kind without a model to check it against: {error.Message}", error);
        }
    }

    /// <summary>Every document of the file; a failure names the file.</summary>
    /// <exception cref="InvalidDataException">As for <see cref="Load"/>, with the file's name.</exception>
    public static IReadOnlyList<object> LoadFile(string path)
    {
        try
        {
            return Load(File.ReadAllText(path));
        }
        catch (InvalidDataException error)
        {
            throw new InvalidDataException($"{DeployFolder.Relative(path)}: {error.Message}", error);
        }
    }

    private static string Describe(Exception error)
    {
        var messages = new List<string>();
        for (var inner = error; inner is not null; inner = inner.InnerException)
        {
            messages.Add(inner.Message);
        }

        return string.Join(" ", messages);
    }
}
