using Distributed.Testing;

namespace Distributed.FaultTests;

/// <summary>
/// Asks a server's grpc.health.v1 with a gRPC implementation no one here wrote (grpc_health_check.py
/// on Debian's python3-grpcio, which CI installs), as a Kubernetes probe would: plaintext, no token.
/// </summary>
internal static class PythonHealthClient
{
    private const string Python = "/usr/bin/python3";

    /// <summary>The serving status of <paramref name="service"/> ("" is the whole server), or the call's error code.</summary>
    /// <param name="address">http://host:port.</param>
    /// <param name="service">The service to ask about.</param>
    public static string Check(string address, string service)
    {
        using var check = Start(address, service);
        Assert.True(check.WaitForExit() == 0, $"grpc_health_check.py failed:\n{check.Output}");
        return check.Output.Trim();
    }

    /// <summary>
    /// A Health/Watch of <paramref name="service"/>: the process prints each status the stream
    /// sends, one per line, then END when the server ends the stream.
    /// </summary>
    /// <param name="address">http://host:port.</param>
    /// <param name="service">The service to watch.</param>
    public static ProgramProcess Watch(string address, string service) => Start(address, service, "--watch");

    private static ProgramProcess Start(string address, string service, params string[] options)
    {
        Assert.True(File.Exists(Python), $"This test needs {Python} with Debian's python3-grpcio (.ci/run installs it).");
        string target = new Uri(address).Authority;
        return ProgramProcess.StartNative(Python, [Path.Combine(AppContext.BaseDirectory, "grpc_health_check.py"), .. options, target, service]);
    }
}
