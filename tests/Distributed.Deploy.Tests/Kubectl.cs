using System.Diagnostics;

namespace Distributed.Deploy.Tests;

/// <summary>kubectl, when it is on PATH: kustomize as the cluster's own client renders an overlay.</summary>
public static class Kubectl
{
    /// <summary>Where kubectl is, or null when it is not on PATH.</summary>
    public static string? Path { get; } = (Environment.GetEnvironmentVariable("PATH") ?? "")
        .Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Select(folder => System.IO.Path.Combine(folder, "kubectl"))
        .FirstOrDefault(File.Exists);

    /// <summary>The YAML <c>kubectl kustomize</c> renders for <paramref name="folder"/>; a failure says what kubectl said.</summary>
    public static string Kustomize(string folder)
    {
        var start = new ProcessStartInfo(Path ?? throw new InvalidOperationException("kubectl is not on PATH."))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("kustomize");
        start.ArgumentList.Add(folder);
        using var kubectl = Process.Start(start)!;
        var output = kubectl.StandardOutput.ReadToEndAsync();
        var errors = kubectl.StandardError.ReadToEndAsync();
        if (!kubectl.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            kubectl.Kill();
            throw new TimeoutException($"kubectl kustomize {folder} did not finish within 60 s.");
        }

        if (kubectl.ExitCode != 0)
        {
            throw new InvalidOperationException($"kubectl kustomize {folder} exited {kubectl.ExitCode}: {errors.Result}");
        }

        return output.Result;
    }
}

/// <summary>
/// A theory that needs kubectl: skipped, with the reason in the test output, where it is not on
/// PATH (xunit 2 decides skips when it discovers tests; it has no skip from inside a test).
/// </summary>
public sealed class KubectlTheoryAttribute : TheoryAttribute
{
    public KubectlTheoryAttribute()
    {
        if (Kubectl.Path is null)
        {
            Skip = "kubectl is not on PATH: the overlays were not rendered, so only their files were checked (install kubectl to check what they render).";
        }
    }
}
