namespace Distributed.Futures;

/// <summary>
/// A <see cref="RemoteExecutor"/> registered in a service collection: the coordinator's address,
/// where its token comes from, and the <see cref="RemoteExecutorOptions"/> that configuration can
/// spell. A settings class of its own because the address and the token file are not options of
/// the executor, and the clock and the HTTP handler hook cannot come from configuration.
/// </summary>
public sealed class RemoteExecutorSettings
{
    private static readonly RemoteExecutorOptions s_defaults = new();

    /// <summary>The coordinator: <c>http://host:port</c>, <c>https://host:port</c> or <c>unix:/path.sock</c>. Required.</summary>
    public string? Address { get; set; }

    /// <summary>
    /// A file holding the shared secret (a mounted secret, such as <c>/run/secrets/token</c>); read
    /// when the executor is created. Without it, <see cref="Token"/>; without both, the
    /// <c>DISTRIBUTED_TOKEN</c> environment variable, as the executables do.
    /// </summary>
    public string? TokenFile { get; set; }

    /// <summary>The shared secret itself, for configuration sources that keep secrets (user secrets, a vault); prefer <see cref="TokenFile"/>.</summary>
    public string? Token { get; set; }

    /// <inheritdoc cref="RemoteExecutorOptions.MaxMessageBytes"/>
    public int MaxMessageBytes { get; set; } = s_defaults.MaxMessageBytes;

    /// <inheritdoc cref="RemoteExecutorOptions.ConnectionLossTimeout"/>
    public TimeSpan ConnectionLossTimeout { get; set; } = s_defaults.ConnectionLossTimeout;

    /// <inheritdoc cref="RemoteExecutorOptions.CancelReplyTimeout"/>
    public TimeSpan CancelReplyTimeout { get; set; } = s_defaults.CancelReplyTimeout;

    /// <inheritdoc cref="RemoteExecutorOptions.ConfigureHttpHandler"/>
    public Action<SocketsHttpHandler>? ConfigureHttpHandler { get; set; }

    /// <inheritdoc cref="RemoteExecutorOptions.TimeProvider"/>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
