namespace Distributed.Protocol;

/// <summary>Facts both ends of the wire must agree on.</summary>
public static class ProtocolInfo
{
    /// <summary>The protocol a worker or client speaks; a coordinator refuses another.</summary>
    public const string Version = "distributed.v1";

    /// <summary>The largest message either way unless configured otherwise: 64 MiB.</summary>
    public const int DefaultMaxMessageBytes = 64 * 1024 * 1024;
}
