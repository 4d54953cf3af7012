// The app package-test.sh builds against the packages: a process pool, or a cluster's client.
using Distributed.Futures;

int sum;
string where;
if (args is ["remote", var address])
{
    using var cluster = new RemoteExecutor(address);
    sum = cluster.Map(Tasks.Square, Enumerable.Range(1, 8), timeout: TimeSpan.FromSeconds(60)).Sum();
    where = $"on {cluster.Submit(Tasks.WorkerId).Result(TimeSpan.FromSeconds(60))}";
}
else
{
    using var pool = new ProcessPoolExecutor(maxWorkers: 2);
    sum = pool.Map(Tasks.Square, Enumerable.Range(1, 8), timeout: TimeSpan.FromSeconds(60)).Sum();
    where = $"from {typeof(ProcessPoolExecutor).Assembly.Location} on {pool.Submit(Tasks.WorkerId).Result(TimeSpan.FromSeconds(60))}";
}
Console.WriteLine($"{args[0]} {sum} {where}");

public static class Tasks
{
    public static int Square(int x) => x * x;

    // Where the task ran: the worker's process (by its apphost, or the dotnet host), not this app.
    public static string WorkerId() => Path.GetFileName(Environment.ProcessPath) ?? "?";
}
