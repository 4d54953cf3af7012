using Distributed.Protocol;

namespace Distributed.Futures;

/// <summary>How a <see cref="RemoteExecutor"/> reaches its coordinator. Every setting has a documented default.</summary>
public sealed class RemoteExecutorOptions
{
    /// <summary>The shared secret the coordinator expects; default none.</summary>
    public string? Token { get; set; }

    /// <summary>
    /// The largest message either way; default 64 MiB. A call whose arguments do not fit (this
    /// limit, or the coordinator's if it is lower) fails its own future with an
    /// <see cref="ArgumentException"/> that names the limit, and is never sent.
    /// </summary>
    public int MaxMessageBytes { get; set; } = ProtocolInfo.DefaultMaxMessageBytes;

    /// <summary>
    /// The bound on noticing a lost coordinator: if it goes silent (it is frozen, or its machine or
    /// the network fails without closing the connection), every unfinished future fails within this
    /// time. The coordinator speaks at least every quarter of it, even with nothing to say. A
    /// coordinator whose process dies closes the connection, which is noticed at once. Default 10 s.
    /// </summary>
    public TimeSpan ConnectionLossTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long <c>Cancel()</c> waits for the coordinator to say whether a task could still be
    /// withdrawn (which may take a round trip to a worker); past it, Cancel returns false. Default 30 s.
    /// </summary>
    public TimeSpan CancelReplyTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The clock the connection-loss watch runs on; default the system clock.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Adjusts the HTTP handler, for example to trust a private certificate authority for https://.</summary>
    public Action<SocketsHttpHandler>? ConfigureHttpHandler { get; set; }
}
