namespace Distributed.Deploy.Tests;

/// <summary>
/// KEDA's ScaledObject (keda.sh/v1alpha1), which the Kubernetes client has no model of: the fields
/// of its reference that these manifests use and their neighbours, so that a misspelled field or a
/// wrong type fails the strict load as it does for the client's own kinds.
/// </summary>
public sealed class ScaledObject
{
    public string? ApiVersion { get; set; }

    public string? Kind { get; set; }

    public k8s.Models.V1ObjectMeta? Metadata { get; set; }

    public ScaledObjectSpec? Spec { get; set; }

    public sealed class ScaledObjectSpec
    {
        public TargetReference? ScaleTargetRef { get; set; }

        public int? PollingInterval { get; set; }

        public int? CooldownPeriod { get; set; }

        public int? InitialCooldownPeriod { get; set; }

        public int? IdleReplicaCount { get; set; }

        public int? MinReplicaCount { get; set; }

        public int? MaxReplicaCount { get; set; }

        public Advanced? Advanced { get; set; }

        public List<Trigger>? Triggers { get; set; }
    }

    public sealed class TargetReference
    {
        public string? ApiVersion { get; set; }

        public string? Kind { get; set; }

        public string? Name { get; set; }

        public string? EnvSourceContainerName { get; set; }
    }

    public sealed class Advanced
    {
        public bool? RestoreToOriginalReplicaCount { get; set; }

        public HorizontalPodAutoscalerConfig? HorizontalPodAutoscalerConfig { get; set; }
    }

    public sealed class HorizontalPodAutoscalerConfig
    {
        public string? Name { get; set; }

        /// <summary>The HPA's own behavior type, so the client checks it too.</summary>
        public k8s.Models.V2HorizontalPodAutoscalerBehavior? Behavior { get; set; }
    }

    public sealed class Trigger
    {
        public string? Type { get; set; }

        public string? Name { get; set; }

        public bool? UseCachedMetrics { get; set; }

        public string? MetricType { get; set; }

        /// <summary>Each scaler's settings: strings only, as KEDA reads them.</summary>
        public Dictionary<string, string>? Metadata { get; set; }

        public AuthenticationReference? AuthenticationRef { get; set; }
    }

    public sealed class AuthenticationReference
    {
        public string? Name { get; set; }

        public string? Kind { get; set; }
    }
}
