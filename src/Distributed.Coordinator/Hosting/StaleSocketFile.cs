using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Distributed.Coordinator.Hosting;

/// <summary>
/// A coordinator that was killed (SIGKILL, a crash, a power cut) leaves its Unix socket file
/// behind, and the next start would fail with "address already in use". Before listening on a
/// <c>unix:</c> address, such a leftover is removed; a socket something still answers on is kept,
/// so a second coordinator cannot take the address of a running one (it fails to bind instead).
/// </summary>
internal static partial class StaleSocketFile
{
    /// <returns>True if a leftover was removed.</returns>
    public static bool RemoveIfAbandoned(string path, ILogger logger)
    {
        // .NET cannot tell a socket file from an empty regular file; either is empty, and
        // a file with content is not ours to delete.
        var file = new FileInfo(path);
        if (!file.Exists || file.Length != 0 || IsAnswered(path))
        {
            return false;
        }

        file.Delete();
        Log.Removed(logger, path);
        return true;
    }

    /// <summary>Whether something accepts connections on the socket at <paramref name="path"/>.</summary>
    public static bool IsAnswered(string path)
    {
        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            probe.Connect(new UnixDomainSocketEndPoint(path));
            return true;
        }
        catch (ArgumentOutOfRangeException)
        {
            // A path longer than a socket address holds: no socket anyone could listen on.
            return false;
        }
        catch (SocketException error) when (error.SocketErrorCode is SocketError.ConnectionRefused)
        {
            // Nobody listens: the process that made it is gone.
            return false;
        }
        catch (SocketException)
        {
            // Anything else (no permission, say): leave it alone and let binding report the problem.
            return true;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 60, Level = LogLevel.Warning, Message = "Removed the socket file {Path} left by a coordinator that did not stop cleanly")]
        public static partial void Removed(ILogger logger, string path);
    }
}
