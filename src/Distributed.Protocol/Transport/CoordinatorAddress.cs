using System.Net.Sockets;
using Grpc.Core;
using Grpc.Net.Client;

namespace Distributed.Protocol;

/// <summary>
/// Where a coordinator listens, as the command lines and options spell it: <c>http://host:port</c>,
/// <c>https://host:port</c>, or <c>unix:/path/to.sock</c> for the Unix domain socket an embedded
/// pool's local workers use. Creates the gRPC channel to it.
/// </summary>
public sealed class CoordinatorAddress
{
    private const string UnixScheme = "unix:";

    private CoordinatorAddress(string text, Uri? uri, string? socketPath)
    {
        Text = text;
        Uri = uri;
        SocketPath = socketPath;
    }

    /// <summary>The address as given.</summary>
    public string Text { get; }

    /// <summary>The http(s) address, or null for a Unix domain socket.</summary>
    public Uri? Uri { get; }

    /// <summary>The socket file, or null for an http(s) address.</summary>
    public string? SocketPath { get; }

    /// <exception cref="ArgumentException">The text is not an http, https or unix: address.</exception>
    public static CoordinatorAddress Parse(string text)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        if (text.StartsWith(UnixScheme, StringComparison.Ordinal))
        {
            string path = text[UnixScheme.Length..];
            if (path.Length == 0)
            {
                throw new ArgumentException($"'{text}' names no socket file: write unix:/path/to.sock.", nameof(text));
            }

            return new CoordinatorAddress(text, null, path);
        }

        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
        {
            return new CoordinatorAddress(text, uri, null);
        }

        throw new ArgumentException($"'{text}' is not a coordinator address: use http://host:port, https://host:port or unix:/path/to.sock.", nameof(text));
    }

    /// <summary>Opens a channel to the coordinator; the caller disposes it.</summary>
    /// <param name="maxMessageBytes">The largest message either way.</param>
    /// <param name="silenceLimit">
    /// How long the coordinator may be silent before the connection is taken for dead: HTTP/2 pings
    /// go out after half of it and must be answered within the other half. This bounds how long a
    /// coordinator that vanished without closing the connection (a cut cable) goes unnoticed.
    /// </param>
    /// <param name="configureHandler">Adjusts the HTTP handler, for example to trust a test certificate.</param>
    public GrpcChannel CreateChannel(int maxMessageBytes, TimeSpan silenceLimit, Action<SocketsHttpHandler>? configureHandler = null)
    {
        var handler = new SocketsHttpHandler
        {
            EnableMultipleHttp2Connections = true,
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.Always,
            KeepAlivePingDelay = silenceLimit / 2,
            KeepAlivePingTimeout = silenceLimit / 2,
        };
        if (SocketPath is { } path)
        {
            handler.ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cancellationToken).ConfigureAwait(false);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            };
        }

        configureHandler?.Invoke(handler);
        return GrpcChannel.ForAddress(Uri ?? new Uri("http://localhost"), new GrpcChannelOptions
        {
            HttpHandler = handler,
            MaxReceiveMessageSize = maxMessageBytes,
            MaxSendMessageSize = maxMessageBytes,
        });
    }

    /// <summary>The metadata that carries a token, or none without one.</summary>
    public static Metadata Credentials(string? token)
    {
        var headers = new Metadata();
        if (!string.IsNullOrEmpty(token))
        {
            headers.Add("authorization", $"Bearer {token}");
        }

        return headers;
    }

    /// <inheritdoc/>
    public override string ToString() => Text;
}
