using k8s.Models;

namespace Distributed.Deploy.Tests;

/// <summary>
/// Every YAML file under deploy/kubernetes loads strictly into its kind's model; and the loader
/// really is strict, for the client's kinds and for the two of this project's own.
/// </summary>
public sealed class ManifestSchemaTests
{
    public static TheoryData<string> Files() => new(DeployFolder.YamlFiles().Select(DeployFolder.Relative));

    [Theory]
    [MemberData(nameof(Files))]
    public void EveryFile_LoadsStrictly_AsItsKind(string file)
    {
        var objects = Manifests.LoadFile(Path.Combine(DeployFolder.Kubernetes, "..", "..", file));

        Assert.NotEmpty(objects);
    }

    [Fact]
    public void TheBase_HasTheObjectsItIsMeantToHave()
    {
        var objects = Base();

        var coordinator = Assert.Single(objects.OfType<V1Deployment>(), deployment => deployment.Metadata.Name == "coordinator");
        Assert.Equal(1, coordinator.Spec.Replicas);
        Assert.Equal("Recreate", coordinator.Spec.Strategy.Type);
        Assert.Single(objects.OfType<V1Deployment>(), deployment => deployment.Metadata.Name == "worker");
        Assert.Single(objects.OfType<V1Service>());
        Assert.Single(objects.OfType<V1PodDisruptionBudget>());
    }

    [Fact]
    public void AMisspelledField_FailsTheLoad_NamingIt()
    {
        string yaml = Deployment.Replace("replicas: 2", "replica: 2", StringComparison.Ordinal);

        var error = Assert.Throws<InvalidDataException>(() => Manifests.Load(yaml));

        Assert.Contains("Property 'replica' not found", error.Message, StringComparison.Ordinal);
        Assert.NotEmpty(Manifests.Load(Deployment));
    }

    [Fact]
    public void AWrongType_FailsTheLoad_NamingTheField()
    {
        string yaml = Deployment.Replace("replicas: 2", "replicas: \"x\"", StringComparison.Ordinal);

        var error = Assert.Throws<InvalidDataException>(() => Manifests.Load(yaml));

        Assert.Contains("'replicas: \"x\"'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AMisspelledFieldDeepInAPodSpec_FailsTheLoad_NamingIt()
    {
        string yaml = Deployment.Replace("containerPort: 5000", "containerPrt: 5000", StringComparison.Ordinal);

        var error = Assert.Throws<InvalidDataException>(() => Manifests.Load(yaml));

        Assert.Contains("Property 'containerPrt' not found", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AMisspelledScaledObjectField_FailsTheLoad_NamingIt()
    {
        const string Yaml = """
            apiVersion: keda.sh/v1alpha1
            kind: ScaledObject
            metadata:
              name: worker
            spec:
              scaleTargetRef:
                name: worker
              minReplicas: 0
            """;

        var error = Assert.Throws<InvalidDataException>(() => Manifests.Load(Yaml));

        Assert.Contains("Property 'minReplicas' not found", error.Message, StringComparison.Ordinal);
        Assert.IsType<ScaledObject>(Assert.Single(Manifests.Load(Yaml.Replace("minReplicas", "minReplicaCount", StringComparison.Ordinal))));
    }

    [Fact]
    public void AScaledObjectWithAWrongType_FailsTheLoad()
    {
        const string Yaml = """
            apiVersion: keda.sh/v1alpha1
            kind: ScaledObject
            metadata:
              name: worker
            spec:
              maxReplicaCount: many
            """;

        var error = Assert.Throws<InvalidDataException>(() => Manifests.Load(Yaml));

        Assert.Contains("'maxReplicaCount: many'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AMisspelledKustomizationField_FailsTheLoad_NamingIt()
    {
        const string Yaml = """
            apiVersion: kustomize.config.k8s.io/v1beta1
            kind: Kustomization
            resource:
              - deployment.yaml
            """;

        var error = Assert.Throws<InvalidDataException>(() => Manifests.Load(Yaml));

        Assert.Contains("Property 'resource' not found", error.Message, StringComparison.Ordinal);
        Assert.IsType<Kustomization>(Assert.Single(Manifests.Load(Yaml.Replace("resource:", "resources:", StringComparison.Ordinal))));
    }

    [Fact]
    public void AnUnknownKind_FailsTheLoad()
    {
        const string Yaml = """
            apiVersion: example.com/v1
            kind: Widget
            metadata:
              name: w
            """;

        var error = Assert.Throws<InvalidDataException>(() => Manifests.Load(Yaml));

        Assert.Contains("example.com/v1/Widget", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Every object of the base's manifests (not its kustomization).</summary>
    internal static List<object> Base() =>
        DeployFolder.YamlFiles()
            .Where(file => Path.GetFileName(Path.GetDirectoryName(file)) == "base" && Path.GetFileName(file) != "kustomization.yaml")
            .SelectMany(Manifests.LoadFile)
            .ToList();

    private const string Deployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: sample
        spec:
          replicas: 2
          selector:
            matchLabels:
              app: sample
          template:
            metadata:
              labels:
                app: sample
            spec:
              containers:
                - name: sample
                  image: sample
                  ports:
                    - containerPort: 5000
        """;
}
