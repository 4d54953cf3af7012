namespace Distributed.Protocol;

/// <summary>Facts both ends of the wire must agree on.</summary>
public static class ProtocolInfo
{
    /// <summary>The protocol a worker or client speaks; a coordinator refuses another.</summary>
    public const string Version = "distributed.v1";

    /// <summary>The largest message either way unless configured otherwise: 64 MiB.</summary>
    public const int DefaultMaxMessageBytes = 64 * 1024 * 1024;

    /// <summary>The smallest message limit any endpoint may be set to: 64 KiB.</summary>
    public const int MinMaxMessageBytes = 64 * 1024;

    /// <summary>
    /// Room kept in every message for what travels beside a unit or an outcome (a function's name,
    /// the other fields, framing): a unit or outcome of at most the limit less this always fits.
    /// </summary>
    public const int MessageOverheadBytes = 4 * 1024;
}
