using Distributed.Protocol;

namespace Distributed.Futures.Hosting;

/// <summary>The shared secret from a token file, else the token given, else DISTRIBUTED_TOKEN: the executables' order.</summary>
internal static class TokenFiles
{
    public static string? Read(string? file, string? token) =>
        file is not null ? TokenSource.Read(new FileInfo(file))
        : !string.IsNullOrWhiteSpace(token) ? token.Trim()
        : TokenSource.Read(null);

    /// <summary>Why the file cannot serve as a token, or null if it can.</summary>
    public static string? Problem(string file)
    {
        try
        {
            TokenSource.Read(new FileInfo(file));
            return null;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return error.Message;
        }
    }
}
