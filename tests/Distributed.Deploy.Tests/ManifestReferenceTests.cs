using k8s.Models;

namespace Distributed.Deploy.Tests;

/// <summary>
/// The base's objects refer to each other correctly (ports, grace periods, scale targets), every
/// kustomization lists files that exist and every file is listed; and each check finds the mistake
/// it is there for.
/// </summary>
public sealed class ManifestReferenceTests
{
    public static TheoryData<string> Kustomizations() => new(DeployFolder.Kustomizations().Select(DeployFolder.Relative));

    [Fact]
    public void TheBase_ProbesAndServicesUseDeclaredPorts() => Assert.Empty(ManifestChecks.Ports(ManifestSchemaTests.Base()));

    [Fact]
    public void TheBase_WorkersGraceOutlastsTheirDrain() => Assert.Empty(ManifestChecks.WorkerGrace(ManifestSchemaTests.Base()));

    [Fact]
    public void TheCoordinator_DeclaresThePortsItListensOn_AndProbesItsHealthPortForTheHub()
    {
        var container = Assert.Single(ManifestSchemaTests.Base().OfType<V1Deployment>(), deployment => deployment.Metadata.Name == "coordinator")
            .Spec.Template.Spec.Containers.Single();
        int PortOf(string option) => new Uri(container.Args[container.Args.IndexOf(option) + 1]).Port;
        int Declared(string name) => container.Ports.Single(port => port.Name == name).ContainerPort;

        Assert.Equal(PortOf("--listen"), Declared("grpc"));
        Assert.Equal(PortOf("--health-listen"), Declared("health"));
        Assert.Equal(PortOf("--metrics-listen"), Declared("metrics"));
        foreach (var probe in new[] { container.StartupProbe, container.ReadinessProbe, container.LivenessProbe })
        {
            // Not "" nor ExecutorService: they say NOT_SERVING while tasks wait for workers (deploy/README.md).
            Assert.Equal(PortOf("--health-listen"), probe.Grpc.Port);
            Assert.Equal("distributed.v1.WorkerHub", probe.Grpc.Service);
        }
    }

    [Fact]
    public void TheKedaComponent_ScalesTheBasesWorkers()
    {
        var objects = ManifestSchemaTests.Base()
            .Concat(Manifests.LoadFile(Path.Combine(DeployFolder.Kubernetes, "components", "keda", "worker-scaledobject.yaml")))
            .ToList();

        var scaled = Assert.Single(objects.OfType<ScaledObject>());
        Assert.Empty(ManifestChecks.ScaleTargets(objects));

        // The names the coordinator's Prometheus endpoint gives its Meter's instruments
        // (PrometheusScrapeTests checks that a real coordinator serves them).
        string query = Assert.Single(scaled.Spec!.Triggers!, trigger => trigger.Type == "prometheus").Metadata!["query"];
        Assert.Contains("distributed_coordinator_queue_depth", query, StringComparison.Ordinal);
        Assert.Contains("distributed_coordinator_tasks_running", query, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Kustomizations))]
    public void EveryKustomization_ListsFilesThatExist(string folder) =>
        Assert.Empty(ManifestChecks.KustomizationFiles(Path.Combine(DeployFolder.Kubernetes, "..", "..", folder)));

    [Fact]
    public void EveryYamlFile_IsListedByAKustomization()
    {
        var listed = DeployFolder.Kustomizations()
            .SelectMany(folder =>
            {
                var kustomization = (Kustomization)Manifests.LoadFile(Path.Combine(folder, "kustomization.yaml")).Single();
                return (kustomization.Resources ?? []).Concat((kustomization.Patches ?? []).Select(patch => patch.Path).OfType<string>())
                    .Select(entry => Path.GetFullPath(Path.Combine(folder, entry)));
            })
            .ToHashSet(StringComparer.Ordinal);

        var unlisted = DeployFolder.YamlFiles()
            .Where(file => Path.GetFileName(file) != "kustomization.yaml" && !listed.Contains(Path.GetFullPath(file)))
            .Select(DeployFolder.Relative);

        Assert.Empty(unlisted);
    }

    [Fact]
    public void APortNoContainerDeclares_IsFound()
    {
        var objects = Manifests.Load(Pod.Replace("targetPort: grpc", "targetPort: grcp", StringComparison.Ordinal)
            .Replace("port: 8081", "port: 8082", StringComparison.Ordinal));

        var problems = ManifestChecks.Ports(objects);

        Assert.Contains(problems, problem => problem.Contains("readiness probe's port 8082", StringComparison.Ordinal));
        Assert.Contains(problems, problem => problem.Contains("target port grcp", StringComparison.Ordinal));
        Assert.Empty(ManifestChecks.Ports(Manifests.Load(Pod)));
    }

    [Fact]
    public void AServiceThatSelectsNoPods_IsFound()
    {
        var objects = Manifests.Load(Pod.Replace("component: coordinator\n  ports", "component: coordinatr\n  ports", StringComparison.Ordinal));

        Assert.Contains(ManifestChecks.Ports(objects), problem => problem.Contains("selects no Deployment", StringComparison.Ordinal));
    }

    [Fact]
    public void AGracePeriodNoLongerThanTheDrain_IsFound()
    {
        var objects = Manifests.Load(Pod.Replace("terminationGracePeriodSeconds: 40", "terminationGracePeriodSeconds: 25", StringComparison.Ordinal));

        Assert.Contains(ManifestChecks.WorkerGrace(objects), problem => problem.Contains("terminationGracePeriodSeconds 25", StringComparison.Ordinal));
        Assert.Empty(ManifestChecks.WorkerGrace(Manifests.Load(Pod)));
    }

    [Fact]
    public void AKustomizationListingAMissingFile_IsFound()
    {
        var folder = Directory.CreateTempSubdirectory("kustomization-test-");
        try
        {
            File.WriteAllText(Path.Combine(folder.FullName, "present.yaml"), "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: n\n");
            File.WriteAllText(Path.Combine(folder.FullName, "kustomization.yaml"), """
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                resources:
                  - present.yaml
                  - absent.yaml
                """);

            var problem = Assert.Single(ManifestChecks.KustomizationFiles(folder.FullName));

            Assert.Contains("lists absent.yaml, which does not exist", problem, StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    // A Service, and one Deployment that is both what it selects and a worker: the smallest input
    // every check has something to say about.
    private const string Pod = """
        apiVersion: v1
        kind: Service
        metadata:
          name: coordinator
        spec:
          selector:
            component: coordinator
          ports:
            - name: grpc
              port: 5000
              targetPort: grpc
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: coordinator
        spec:
          selector:
            matchLabels:
              component: coordinator
          template:
            metadata:
              labels:
                component: coordinator
            spec:
              terminationGracePeriodSeconds: 40
              containers:
                - name: coordinator
                  image: coordinator
                  args: ["--coordinator", "http://coordinator:5000", "--drain-timeout", "30"]
                  ports:
                    - name: grpc
                      containerPort: 5000
                    - name: health
                      containerPort: 8081
                  readinessProbe:
                    grpc:
                      port: 8081
        """;
}
