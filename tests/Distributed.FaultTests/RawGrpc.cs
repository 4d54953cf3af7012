using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;

namespace Distributed.FaultTests;

/// <summary>
/// A gRPC call made by hand over HTTP/2 (prior knowledge, no TLS), so a test can send what no
/// gRPC library would: a truncated frame, bytes that are not protobuf. Returns the call's status
/// as the server's trailers give it.
/// </summary>
internal static class RawGrpc
{
    /// <summary>A gRPC frame: no compression, the length, then the payload.</summary>
    public static byte[] Frame(byte[] payload, int? claimedLength = null)
    {
        var frame = new byte[5 + payload.Length];
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(1), claimedLength ?? payload.Length);
        payload.CopyTo(frame, 5);
        return frame;
    }

    /// <summary>Posts <paramref name="body"/> as the whole request stream of <paramref name="method"/> and returns grpc-status and grpc-message.</summary>
    public static async Task<(int Status, string Message)> CallAsync(string address, string method, byte[] body)
    {
        using var handler = new SocketsHttpHandler();
        using var http = new HttpClient(handler) { Timeout = Distributed.Testing.TestTimeouts.Default };
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{address}/{method}")
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        request.Headers.TryAddWithoutValidation("te", "trailers");
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
        _ = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
        var trailers = response.TrailingHeaders.Concat(response.Headers).ToDictionary(h => h.Key, h => string.Join(",", h.Value));
        int status = int.Parse(trailers.GetValueOrDefault("grpc-status", "-1"), System.Globalization.CultureInfo.InvariantCulture);
        return (status, Uri.UnescapeDataString(trailers.GetValueOrDefault("grpc-message", string.Empty)));
    }
}
