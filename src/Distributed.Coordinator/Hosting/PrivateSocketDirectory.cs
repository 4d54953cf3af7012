using System.Diagnostics;
using System.Globalization;

namespace Distributed.Coordinator.Hosting;

/// <summary>
/// Directories only this user can enter, named <c>{prefix}-{pid}-{guid}</c> in the temp folder, for
/// the Unix sockets local workers dial: without a token, the file system is what keeps other local
/// users from registering as workers. A process that is killed cannot remove its own, so each new
/// one first removes those whose process is gone.
/// </summary>
internal sealed class PrivateSocketDirectory(string prefix)
{
    /// <summary>Where it is (or will be, once created).</summary>
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"{prefix}-{Environment.ProcessId}-{Guid.NewGuid():N}");

    /// <summary>Creates it, after sweeping abandoned directories of the same prefix.</summary>
    public void Create()
    {
        SweepAbandoned(prefix);
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(Path);
        }
        else
        {
            Directory.CreateDirectory(Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    /// <summary>Removes it, if it can: one still in use stays.</summary>
    public void Delete() => TryDelete(Path);

    /// <summary>
    /// Removes the directories of this prefix whose process no longer runs and whose sockets
    /// nobody answers on (a process of another PID namespace may share the temp folder).
    /// </summary>
    /// <returns>How many were removed.</returns>
    public static int SweepAbandoned(string prefix)
    {
        int removed = 0;
        foreach (string directory in Directory.EnumerateDirectories(System.IO.Path.GetTempPath(), $"{prefix}-*"))
        {
            if (OwnerPid(directory, prefix) is { } pid && !IsRunning(pid) && !HasAnsweredSocket(directory) && TryDelete(directory))
            {
                removed++;
            }
        }

        return removed;
    }

    private static int? OwnerPid(string directory, string prefix)
    {
        string[] parts = System.IO.Path.GetFileName(directory)[(prefix.Length + 1)..].Split('-');
        return parts.Length == 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int pid) ? pid : null;
    }

    /// <returns>Whether it was removed.</returns>
    private static bool TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
            return true;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            // Already gone, another user's, or in use: a later sweep or the OS cleans it.
            return false;
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (Exception error) when (error is ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }

    private static bool HasAnsweredSocket(string directory)
    {
        try
        {
            return Directory.EnumerateFiles(directory).Any(StaleSocketFile.IsAnswered);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            // Unreadable, so not ours to judge: keep it.
            return true;
        }
    }
}
