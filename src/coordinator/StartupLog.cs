using Microsoft.Extensions.Logging;

namespace Distributed.CoordinatorHost;

internal static partial class StartupLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Coordinator listening on {Addresses}")]
    public static partial void Listening(ILogger logger, IReadOnlyList<string> addresses);

    [LoggerMessage(EventId = 102, Level = LogLevel.Information, Message = "Dashboard at {Address}/")]
    public static partial void Dashboard(ILogger logger, string address);

    [LoggerMessage(EventId = 101, Level = LogLevel.Warning, Message = "No token is set: listening on loopback only, and anyone on this machine may submit work. Set one with --token-file or DISTRIBUTED_TOKEN to accept other machines.")]
    public static partial void NoToken(ILogger logger);

    [LoggerMessage(EventId = 103, Level = LogLevel.Information, Message = "Metrics for Prometheus at {Address}")]
    public static partial void ServingMetrics(ILogger logger, string address);

    [LoggerMessage(EventId = 104, Level = LogLevel.Information, Message = "gRPC health for probes (plaintext, no token) at {Address}")]
    public static partial void ServingHealth(ILogger logger, string address);
}
