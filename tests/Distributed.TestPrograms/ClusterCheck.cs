using Distributed.Futures;
using Distributed.Protocol;

namespace Distributed.TestPrograms;

/// <summary>
/// The client of the multi-host test: runs a batch of tasks on the cluster, reports progress line by
/// line (so the test can cut a link mid-run), then how many tasks each host ran.
/// Usage: cluster-check COORDINATOR TOKEN_FILE NETWORK_PREFIX TASKS MILLISECONDS
/// </summary>
public static class ClusterCheck
{
    public static int Run(string[] args)
    {
        string coordinator = args[1];
        string? token = TokenSource.Read(new FileInfo(args[2]));
        string network = args[3];
        int tasks = int.Parse(args[4], System.Globalization.CultureInfo.InvariantCulture);
        int milliseconds = int.Parse(args[5], System.Globalization.CultureInfo.InvariantCulture);

        using var cluster = new RemoteExecutor(coordinator, new RemoteExecutorOptions { Token = token });
        var futures = Enumerable.Range(0, tasks).Select(_ => cluster.Submit(HostProbe.WhereAmI, network, milliseconds)).ToList();
        Console.WriteLine($"submitted {tasks}");
        var hosts = new Dictionary<string, int>();
        int done = 0;
        foreach (var future in Future.AsCompleted(futures, TimeSpan.FromMinutes(3)))
        {
            string host = future.Result();
            hosts[host] = hosts.GetValueOrDefault(host) + 1;
            Console.WriteLine($"result {++done} of {tasks} from {host}");
        }

        Console.WriteLine($"hosts {string.Join(' ', hosts.OrderBy(h => h.Key).Select(h => $"{h.Key}={h.Value}"))}");
        Console.WriteLine($"all {done} tasks completed");
        return done == tasks ? 0 : 1;
    }
}
