using System.Net.Sockets;
using Distributed.Coordinator.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace Distributed.Coordinator.Tests;

/// <summary>Which files at a <c>unix:</c> listen address a starting coordinator removes, and which it keeps.</summary>
public sealed class StaleSocketFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("stale-socket-").FullName;

    private string SocketPath => Path.Combine(_directory, "coordinator.sock");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void ASocketNobodyListensOn_IsRemoved()
    {
        // .NET removes the files of sockets it disposes; one moved away first survives, as after SIGKILL.
        string bound = Path.Combine(_directory, "bound.sock");
        using (var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            socket.Bind(new UnixDomainSocketEndPoint(bound));
            File.Move(bound, SocketPath);
        }

        Assert.True(File.Exists(SocketPath));
        Assert.True(StaleSocketFile.RemoveIfAbandoned(SocketPath, NullLogger.Instance));
        Assert.False(File.Exists(SocketPath));
    }

    [Fact]
    public void ASocketSomethingListensOn_IsKept()
    {
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(SocketPath));
        listener.Listen();

        Assert.False(StaleSocketFile.RemoveIfAbandoned(SocketPath, NullLogger.Instance));
        Assert.True(File.Exists(SocketPath));
    }

    [Fact]
    public void AFileWithContent_IsKept()
    {
        File.WriteAllText(SocketPath, "not a socket");

        Assert.False(StaleSocketFile.RemoveIfAbandoned(SocketPath, NullLogger.Instance));
        Assert.Equal("not a socket", File.ReadAllText(SocketPath));
    }

    [Fact]
    public void NoFile_NothingToDo() =>
        Assert.False(StaleSocketFile.RemoveIfAbandoned(SocketPath, NullLogger.Instance));
}
