using System.Security.Cryptography;
using System.Text;

namespace Distributed.Coordinator.Security;

/// <summary>The shared secret as every face of the coordinator checks it: <c>authorization: Bearer &lt;token&gt;</c>, compared in constant time.</summary>
internal static class BearerToken
{
    private const string Scheme = "Bearer ";

    /// <summary>Whether the header presents exactly the token.</summary>
    public static bool Matches(string? authorization, string token) =>
        authorization is not null
        && authorization.StartsWith(Scheme, StringComparison.Ordinal)
        && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(authorization[Scheme.Length..]), Encoding.UTF8.GetBytes(token));
}
