using System.Diagnostics;
using System.Net.Sockets;
using System.Runtime.Versioning;
using Distributed.Coordinator.Hosting;
using Distributed.Testing;

namespace Distributed.Coordinator.Tests;

/// <summary>
/// The private directories of local worker sockets: created for this user only, and those left by
/// killed processes swept by the next one, never those of a process still running or still served.
/// </summary>
public sealed class PrivateSocketDirectoryTests : IDisposable
{
    // A prefix of this test's own, so parallel tests and real pools never see its directories.
    private readonly string _prefix = $"sweep-test{Guid.NewGuid():N}";

    public void Dispose()
    {
        foreach (string directory in Directory.EnumerateDirectories(Path.GetTempPath(), $"{_prefix}-*"))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public void Create_MakesADirectoryOnlyThisUserCanEnter_AndDeleteRemovesIt()
    {
        var directory = new PrivateSocketDirectory(_prefix);
        directory.Create();

        Assert.True(Directory.Exists(directory.Path));
        Assert.StartsWith($"{_prefix}-{Environment.ProcessId}-", Path.GetFileName(directory.Path), StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(directory.Path));

        directory.Delete();
        Assert.False(Directory.Exists(directory.Path));
    }

    [Fact]
    public void ADirectoryOfAProcessThatIsGone_IsSweptByTheNextCreate()
    {
        string abandoned = MakeDirectory(DeadProcessId());
        File.WriteAllText(Path.Combine(abandoned, "workers.sock"), string.Empty);

        new PrivateSocketDirectory(_prefix).Create();

        Assert.False(Directory.Exists(abandoned));
    }

    [Fact]
    public void AnAbandonedDirectoryOfFilesWithNamesTooLongForASocket_IsSwept()
    {
        // The self-contained worker layout's folders hold links with long names: a name no socket
        // address can hold must not stop the sweep (or the pool that sweeps).
        string abandoned = MakeDirectory(DeadProcessId());
        File.WriteAllText(Path.Combine(abandoned, new string('x', 120) + ".dll"), string.Empty);

        new PrivateSocketDirectory(_prefix).Create();

        Assert.False(Directory.Exists(abandoned));
    }

    [Fact]
    public void ADirectoryOfARunningProcess_IsKept()
    {
        string live = MakeDirectory(Environment.ProcessId);

        Assert.Equal(0, PrivateSocketDirectory.SweepAbandoned(_prefix));
        Assert.True(Directory.Exists(live));
    }

    [Fact]
    public void ADirectoryWhoseSocketIsServed_IsKept_EvenIfItsNamedProcessIsGone()
    {
        // A process of another PID namespace sharing the temp folder looks gone from here.
        string served = MakeDirectory(DeadProcessId());
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(Path.Combine(served, "workers.sock")));
        listener.Listen();

        Assert.Equal(0, PrivateSocketDirectory.SweepAbandoned(_prefix));
        Assert.True(Directory.Exists(served));
    }

    [Fact]
    public void ANameThatIsNotOurs_IsKept()
    {
        string other = Path.Combine(Path.GetTempPath(), $"{_prefix}-not-a-pool");
        Directory.CreateDirectory(other);

        Assert.Equal(0, PrivateSocketDirectory.SweepAbandoned(_prefix));
        Assert.True(Directory.Exists(other));
    }

    private string MakeDirectory(int pid) =>
        Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"{_prefix}-{pid}-{Guid.NewGuid():N}")).FullName;

    private static int DeadProcessId()
    {
        using var process = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        Assert.True(process.WaitForExit(TestTimeouts.Default), "a process running `true` did not exit");
        return process.Id;
    }
}
