using k8s.Models;

namespace Distributed.Deploy.Tests;

/// <summary>
/// What a schema cannot see: the references between objects. Each check returns the problems it
/// found, one sentence each, so a test shows them all at once.
/// </summary>
public static class ManifestChecks
{
    /// <summary>What the worker executable gives a drain when <c>--drain-timeout</c> is not passed.</summary>
    public const int DefaultDrainTimeoutSeconds = 25;

    /// <summary>What Kubernetes grants when a pod spec does not say.</summary>
    public const int DefaultTerminationGracePeriodSeconds = 30;

    /// <summary>Every probe's port, and every Service's target port, is a port its container declares.</summary>
    public static List<string> Ports(IReadOnlyCollection<object> objects)
    {
        var problems = new List<string>();
        var deployments = objects.OfType<V1Deployment>().ToList();
        foreach (var deployment in deployments)
        {
            foreach (var container in deployment.Spec.Template.Spec.Containers)
            {
                var probes = new[] { ("liveness", container.LivenessProbe), ("readiness", container.ReadinessProbe), ("startup", container.StartupProbe) };
                foreach (var (kind, probe) in probes)
                {
                    if (probe is null)
                    {
                        continue;
                    }

                    string? port = probe.Grpc?.Port.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? probe.HttpGet?.Port?.Value ?? probe.TcpSocket?.Port?.Value;
                    if (port is null || !Declares([container], port))
                    {
                        problems.Add($"Deployment {deployment.Metadata.Name}, container {container.Name}: its {kind} probe's port {port ?? "(none)"} is not among its ports ({Describe(container)}).");
                    }
                }
            }
        }

        foreach (var service in objects.OfType<V1Service>())
        {
            var selector = service.Spec.Selector ?? new Dictionary<string, string>();
            var selected = deployments.Where(deployment => selector.Count > 0 && selector.All(label =>
                deployment.Spec.Template.Metadata?.Labels?.TryGetValue(label.Key, out var value) == true && value == label.Value)).ToList();
            if (selected.Count == 0)
            {
                problems.Add($"Service {service.Metadata.Name} selects no Deployment's pods (selector {string.Join(", ", selector.Select(label => $"{label.Key}={label.Value}"))}).");
            }

            foreach (var deployment in selected)
            {
                var containers = deployment.Spec.Template.Spec.Containers;
                foreach (var port in service.Spec.Ports)
                {
                    string target = port.TargetPort?.Value ?? port.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    if (!Declares(containers, target))
                    {
                        problems.Add($"Service {service.Metadata.Name}, port {port.Name ?? port.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)}: target port {target} is not among the ports of Deployment {deployment.Metadata.Name}'s pods ({string.Join("; ", containers.Select(Describe))}).");
                    }
                }
            }
        }

        return problems;
    }

    /// <summary>Each worker's grace period outlasts its drain, so SIGKILL never cuts a drain short; and there is a worker to check.</summary>
    public static List<string> WorkerGrace(IReadOnlyCollection<object> objects)
    {
        var problems = new List<string>();
        var workers = objects.OfType<V1Deployment>()
            .SelectMany(deployment => deployment.Spec.Template.Spec.Containers.Where(IsWorker).Select(container => (deployment, container)))
            .ToList();
        if (workers.Count == 0)
        {
            problems.Add("No Deployment runs a worker (a container with --coordinator among its args).");
        }

        foreach (var (deployment, container) in workers)
        {
            double drain = ArgumentAfter(container, "--drain-timeout") is { } given
                ? double.Parse(given, System.Globalization.CultureInfo.InvariantCulture)
                : DefaultDrainTimeoutSeconds;
            long grace = deployment.Spec.Template.Spec.TerminationGracePeriodSeconds ?? DefaultTerminationGracePeriodSeconds;
            if (grace <= drain)
            {
                problems.Add($"Deployment {deployment.Metadata.Name}: terminationGracePeriodSeconds {grace} does not outlast container {container.Name}'s drain timeout of {drain} s.");
            }
        }

        return problems;
    }

    /// <summary>Each ScaledObject scales a Deployment that exists.</summary>
    public static List<string> ScaleTargets(IReadOnlyCollection<object> objects)
    {
        var names = objects.OfType<V1Deployment>().Select(deployment => deployment.Metadata.Name).ToHashSet(StringComparer.Ordinal);
        return objects.OfType<ScaledObject>()
            .Where(scaled => scaled.Spec?.ScaleTargetRef?.Name is not { } target || !names.Contains(target))
            .Select(scaled => $"ScaledObject {scaled.Metadata?.Name}: scales {scaled.Spec?.ScaleTargetRef?.Name ?? "nothing"}, which is no Deployment here ({string.Join(", ", names)}).")
            .ToList();
    }

    /// <summary>
    /// Every file a kustomization lists (resources, components, patches) exists: a file, or a
    /// folder with a kustomization.yaml of its own.
    /// </summary>
    public static List<string> KustomizationFiles(string folder)
    {
        var kustomization = (Kustomization)Manifests.LoadFile(Path.Combine(folder, "kustomization.yaml")).Single();
        var listed = (kustomization.Resources ?? []).Concat(kustomization.Components ?? [])
            .Concat((kustomization.Patches ?? []).Select(patch => patch.Path).OfType<string>());
        return listed
            .Where(entry => !File.Exists(Path.Combine(folder, entry)) && !File.Exists(Path.Combine(folder, entry, "kustomization.yaml")))
            .Select(entry => $"{DeployFolder.Relative(Path.Combine(folder, "kustomization.yaml"))} lists {entry}, which does not exist.")
            .ToList();
    }

    /// <summary>Whether the worker executable (or an app hosting a worker) runs in the container: it dials a coordinator.</summary>
    public static bool IsWorker(V1Container container) => container.Args?.Contains("--coordinator") == true;

    private static string? ArgumentAfter(V1Container container, string option)
    {
        var args = container.Args ?? [];
        int at = args.IndexOf(option);
        return at >= 0 && at + 1 < args.Count ? args[at + 1] : null;
    }

    private static bool Declares(IEnumerable<V1Container> containers, string port) =>
        containers.SelectMany(container => container.Ports ?? []).Any(declared =>
            declared.Name == port || declared.ContainerPort.ToString(System.Globalization.CultureInfo.InvariantCulture) == port);

    private static string Describe(V1Container container) =>
        container.Ports is { Count: > 0 } ports
            ? string.Join(", ", ports.Select(port => port.Name is null ? $"{port.ContainerPort}" : $"{port.Name} {port.ContainerPort}"))
            : "none";
}
