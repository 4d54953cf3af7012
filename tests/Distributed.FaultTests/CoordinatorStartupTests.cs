using System.Net;
using System.Net.Sockets;
using Distributed.Testing;

namespace Distributed.FaultTests;

/// <summary>The coordinator executable when it cannot start: a plain message naming what was wrong, and exit code 2.</summary>
public sealed class CoordinatorStartupTests
{
    [Fact]
    public void ListenAddressInUse_NamesTheAddress_AndExits2()
    {
        using var taken = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        taken.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        taken.Listen();
        string address = $"http://127.0.0.1:{((IPEndPoint)taken.LocalEndPoint!).Port}";

        using var coordinator = ProgramProcess.Start("coordinator.dll", ["--listen", address]);

        Assert.Equal(2, coordinator.WaitForExit());
        Assert.Contains($"coordinator: Failed to bind to address {address}: address already in use.", coordinator.Output, StringComparison.Ordinal);
    }
}
