using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Distributed.Protocol;
using Microsoft.Extensions.Options;

namespace Distributed.Coordinator.Hosting;

/// <summary>Checks a coordinator's options before it starts, and says exactly what is wrong.</summary>
internal sealed class CoordinatorOptionsValidator : IValidateOptions<CoordinatorOptions>
{
    public ValidateOptionsResult Validate(string? name, CoordinatorOptions options)
    {
        var failures = new List<string>();
        if (options.Listen.Count == 0)
        {
            failures.Add("--listen: give at least one address to listen on.");
        }

        foreach (var text in options.Listen)
        {
            CheckAddress(text, options, failures);
        }

        CheckHttpFace("--metrics-listen", options.MetricsListen, options, failures);
        CheckHttpFace("--health-listen", options.HealthListen, options, failures);
        Dashboard.DashboardEndpoint.Check(options, failures);
        if (options.CertificatePath is { } certificate && !File.Exists(certificate))
        {
            failures.Add($"--certificate: {certificate} does not exist.");
        }
        else if (options.CertificatePath is not null)
        {
            try
            {
                using var loaded = LoadCertificate(options);
            }
            catch (CryptographicException error)
            {
                failures.Add($"--certificate: {options.CertificatePath} cannot be read ({error.Message}); is the password right?");
            }
        }

        if (options.Workers < 0)
        {
            failures.Add($"--workers: {options.Workers} is negative; use 0 to serve only remote workers.");
        }

        if (options.WorkerSlots < 1)
        {
            failures.Add($"--worker-slots: {options.WorkerSlots} is below 1.");
        }

        if (options.Workers > 0 && options.TaskAssemblies.Count == 0)
        {
            failures.Add("--workers: local workers need at least one --assembly whose methods they may run.");
        }

        failures.AddRange(options.TaskAssemblies.Where(path => !File.Exists(path)).Select(path => $"--assembly: {path} does not exist."));
        if (options.MaxMessageBytes is < 64 * 1024 or > int.MaxValue / 2)
        {
            failures.Add($"--max-message-bytes: {options.MaxMessageBytes} is outside 65536..{int.MaxValue / 2}.");
        }

        if (options.HeartbeatInterval <= TimeSpan.Zero)
        {
            failures.Add("--heartbeat-interval must be positive.");
        }

        if (options.HeartbeatTimeout <= options.HeartbeatInterval)
        {
            failures.Add($"--heartbeat-timeout ({options.HeartbeatTimeout}) must be longer than --heartbeat-interval ({options.HeartbeatInterval}).");
        }

        if (options.MaxRetries < 0)
        {
            failures.Add("--max-retries must not be negative.");
        }

        if (options.ClientTimeout <= TimeSpan.Zero)
        {
            failures.Add("--client-timeout must be positive.");
        }

        if (options.NoWorkerTimeout <= TimeSpan.Zero && options.NoWorkerTimeout != Timeout.InfiniteTimeSpan)
        {
            failures.Add("--no-worker-timeout must be positive (or 0 on the command line, to wait for a worker forever).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    public static X509Certificate2 LoadCertificate(CoordinatorOptions options) =>
        Path.GetExtension(options.CertificatePath) is ".pem" or ".crt"
            ? X509Certificate2.CreateFromPemFile(options.CertificatePath!)
            : X509CertificateLoader.LoadPkcs12FromFile(options.CertificatePath!, options.CertificatePassword);

    /// <summary>Whether an address can be reached only from this machine.</summary>
    public static bool IsLocalOnly(CoordinatorAddress address) =>
        address.SocketPath is not null
        || address.Uri!.IsLoopback
        || (IPAddress.TryParse(address.Uri.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));

    /// <summary>A plain-HTTP face's address (see <see cref="HttpFaces"/>): http, an IP address or localhost, and loopback unless a token is set.</summary>
    public static void CheckHttpFace(string option, string? text, CoordinatorOptions options, List<string> failures)
    {
        if (text is null)
        {
            return;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp || uri.AbsolutePath != "/"
            || (uri.Host != "localhost" && !IPAddress.TryParse(uri.Host.Trim('[', ']'), out _)))
        {
            failures.Add($"{option}: {text} is not an address to listen on; give http://ip:port or http://localhost:port (port 0 picks a free one).");
            return;
        }

        bool loopback = uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
        if (options.Token is null && !loopback)
        {
            failures.Add($"{option}: {text} can be reached from other machines, and no token is set: set one (--token-file or DISTRIBUTED_TOKEN), or listen on loopback only.");
        }
    }

    private static void CheckAddress(string text, CoordinatorOptions options, List<string> failures)
    {
        CoordinatorAddress address;
        try
        {
            address = CoordinatorAddress.Parse(text);
        }
        catch (ArgumentException error)
        {
            failures.Add($"--listen: {error.Message}");
            return;
        }

        if (address.Uri?.Scheme == Uri.UriSchemeHttps && options.CertificatePath is null)
        {
            failures.Add($"--listen: {text} is https, which needs --certificate.");
        }

        if (options.Token is null && !IsLocalOnly(address))
        {
            failures.Add($"--listen: {text} can be reached from other machines, and no token is set: set one (--token-file or DISTRIBUTED_TOKEN), or listen on loopback only.");
        }
    }
}
