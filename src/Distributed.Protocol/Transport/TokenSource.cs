namespace Distributed.Protocol;

/// <summary>
/// Where a shared secret comes from for the executables: a file, or the DISTRIBUTED_TOKEN
/// environment variable. Never a command-line literal, which any user of the machine can read in
/// the process table.
/// </summary>
public static class TokenSource
{
    /// <summary>The environment variable read when no token file is given.</summary>
    public const string EnvironmentVariable = "DISTRIBUTED_TOKEN";

    /// <summary>The token from <paramref name="file"/>, else from the environment; null when neither holds one.</summary>
    /// <exception cref="ArgumentException">The file is empty.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static string? Read(FileInfo? file)
    {
        if (file is not null)
        {
            string token = File.ReadAllText(file.FullName).Trim();
            return token.Length > 0 ? token : throw new ArgumentException($"The token file {file.FullName} is empty.", nameof(file));
        }

        string? fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        return string.IsNullOrWhiteSpace(fromEnvironment) ? null : fromEnvironment.Trim();
    }
}
