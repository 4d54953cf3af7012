using System.Security.Cryptography;
using System.Text;

namespace Distributed.Coordinator.Security;

/// <summary>How every face of the coordinator (gRPC, dashboard) compares what a caller presents with the shared secret.</summary>
internal static class TokenCheck
{
    private const string Scheme = "Bearer ";

    /// <summary>Whether <paramref name="presented"/> is the token, compared in constant time (only the length can show).</summary>
    public static bool Matches(string? presented, string token) =>
        presented is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(token));

    /// <summary>Whether an <c>authorization</c> header value is <c>Bearer &lt;token&gt;</c>.</summary>
    public static bool IsBearer(string? authorization, string token) =>
        authorization is not null && authorization.StartsWith(Scheme, StringComparison.Ordinal) && Matches(authorization[Scheme.Length..], token);
}
