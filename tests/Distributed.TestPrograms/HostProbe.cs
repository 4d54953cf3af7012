using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace Distributed.TestPrograms;

/// <summary>Task functions for the multi-host test: they tell which host ran them.</summary>
public static class HostProbe
{
    /// <summary>
    /// This host's address on the given private network (namespaces share a host name, so the
    /// address is what tells them apart), after pretending to work for <paramref name="milliseconds"/>.
    /// </summary>
    public static string WhereAmI(string networkPrefix, int milliseconds)
    {
        Thread.Sleep(milliseconds);
        return NetworkInterface.GetAllNetworkInterfaces()
            .SelectMany(nic => nic.GetIPProperties().UnicastAddresses)
            .Select(unicast => unicast.Address)
            .Where(address => address.AddressFamily == AddressFamily.InterNetwork)
            .Select(address => address.ToString())
            .FirstOrDefault(address => address.StartsWith(networkPrefix, StringComparison.Ordinal))
            ?? $"no address in {networkPrefix}*";
    }
}
