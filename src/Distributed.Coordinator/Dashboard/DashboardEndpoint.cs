using System.Net;
using Distributed.Coordinator.Hosting;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Distributed.Coordinator.Dashboard;

/// <summary>
/// The dashboard's own Kestrel endpoint (<c>--dashboard-listen</c>): HTTP/1.1 only, apart from the
/// gRPC faces' HTTP/2 endpoints. Requests are told apart by the local endpoint they arrived on, so
/// the dashboard answers only here and gRPC never does (it cannot even speak HTTP/1.1).
/// </summary>
internal sealed class DashboardEndpoint
{
    private readonly Uri _uri;
    private ListenOptions? _listen;

    private DashboardEndpoint(Uri uri) => _uri = uri;

    /// <summary>Where it really listens once the server started (port 0 resolved), as a browser spells it; null before.</summary>
    public string? Address => _listen?.IPEndPoint is { } bound ? $"{_uri.Scheme}://{bound}" : null;

    /// <summary>The endpoint for an address checked by <see cref="Check"/>.</summary>
    public static DashboardEndpoint For(string address) => new(new Uri(address, UriKind.Absolute));

    /// <summary>What is wrong with <see cref="CoordinatorOptions.DashboardListen"/>, added to <paramref name="failures"/>.</summary>
    public static void Check(CoordinatorOptions options, List<string> failures)
    {
        if (options.DashboardListen is not { } text)
        {
            return;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) || uri.AbsolutePath != "/")
        {
            failures.Add($"--dashboard-listen: '{text}' is not an address to serve the dashboard on: use http://host:port or https://host:port.");
            return;
        }

        if (uri.Scheme == Uri.UriSchemeHttps && options.CertificatePath is null)
        {
            failures.Add($"--dashboard-listen: {text} is https, which needs --certificate.");
        }

        bool loopback = uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
        if (options.Token is null && !loopback)
        {
            failures.Add($"--dashboard-listen: {text} can be reached from other machines, and no token is set: set one (--token-file or DISTRIBUTED_TOKEN), or serve the dashboard on loopback only.");
        }
    }

    public void Listen(KestrelServerOptions kestrel, CoordinatorOptions options)
    {
        Action<ListenOptions> configure = listen =>
        {
            listen.Protocols = HttpProtocols.Http1;
            if (_uri.Scheme == Uri.UriSchemeHttps)
            {
                listen.UseHttps(CoordinatorOptionsValidator.LoadCertificate(options));
            }

            _listen = listen;
        };

        // One socket, so that one bound endpoint tells dashboard requests apart ("localhost" is
        // served on IPv4 loopback rather than on two sockets).
        if (_uri.Host is "localhost")
        {
            kestrel.Listen(IPAddress.Loopback, _uri.Port, configure);
        }
        else if (IPAddress.TryParse(_uri.Host.Trim('[', ']'), out var ip))
        {
            kestrel.Listen(ip, _uri.Port, configure);
        }
        else
        {
            kestrel.ListenAnyIP(_uri.Port, configure);
        }
    }

    /// <summary>Whether the request came in on this endpoint.</summary>
    /// <remarks>
    /// Two listening sockets of one process share a port only on different specific addresses, so
    /// the port decides, and the address too when the dashboard has a specific one.
    /// </remarks>
    public bool Serves(HttpContext context)
    {
        if (_listen?.IPEndPoint is not { } bound || context.Connection.LocalPort != bound.Port)
        {
            return false;
        }

        return bound.Address.Equals(IPAddress.Any) || bound.Address.Equals(IPAddress.IPv6Any)
            || context.Connection.LocalIpAddress?.MapToIPv6().Equals(bound.Address.MapToIPv6()) == true;
    }
}
