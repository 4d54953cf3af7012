using Distributed.Futures;
using Distributed.Testing;

namespace Distributed.FaultTests;

/// <summary>
/// Churn is not breakage: a worker process killed every few hundred milliseconds, young ones
/// (not registered yet) as well as old, costs nothing but time. Every task ends right, none hangs,
/// the pool never declares itself broken, and it serves a fresh submit afterwards.
/// </summary>
[Collection(OneFaultAtATime.Name)]
public sealed class KillLoopTests
{
    private const int Tasks = 6_000;
    private static readonly TimeSpan KillInterval = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan KillFor = TimeSpan.FromSeconds(6);

    [Fact]
    public void EmbeddedPool_WorkersKilledInALoop_EveryTaskRightAndThePoolServesAfterwards()
    {
        using var pool = new ProcessPoolExecutor(maxWorkers: 2);
        Assert.Equal(1, pool.Submit(TestTasks.Identity, 1).Result(TestTimeouts.Default));

        var futures = new List<Future<int>>();
        using (var loop = new KillLoop(() => pool.WorkerProcessIds, KillInterval, seed: 8))
        {
            SubmitWhileKilling(i => pool.Submit(TestTasks.Square, i), futures);
            loop.Stop();
            Assert.True(loop.Killed.Count >= 10, $"only {loop.Killed.Count} workers were killed");
        }

        AssertAllRight(futures);
        Assert.Equal(49, pool.Submit(TestTasks.Square, 7).Result(TestTimeouts.Default));
    }

    [Fact]
    public void StandaloneCoordinator_LocalWorkersKilledInALoop_EveryTaskRightAndItServesAfterwards()
    {
        using var coordinator = ProgramProcess.StartCoordinator(["--workers", "2", "--assembly", typeof(TestTasks).Assembly.Location], out string address);
        using var client = new RemoteExecutor(address);
        Assert.Equal(1, client.Submit(TestTasks.Identity, 1).Result(TestTimeouts.Default));

        var futures = new List<Future<int>>();
        using (var loop = new KillLoop(() => ProcessTable.ChildrenOf(coordinator.Id), KillInterval, seed: 9))
        {
            SubmitWhileKilling(i => client.Submit(TestTasks.Square, i), futures);
            loop.Stop();
            Assert.True(loop.Killed.Count >= 10, $"only {loop.Killed.Count} workers were killed");
        }

        AssertAllRight(futures, coordinator);
        Assert.Equal(49, client.Submit(TestTasks.Square, 7).Result(TestTimeouts.Default));
        using var fresh = new RemoteExecutor(address);
        Assert.Equal(64, fresh.Submit(TestTasks.Square, 8).Result(TestTimeouts.Default));
    }

    /// <summary>Submits the tasks in small batches spread over the kill loop's run, so kills land while work is queued, running and finishing.</summary>
    private static void SubmitWhileKilling(Func<int, Future<int>> submit, List<Future<int>> futures)
    {
        var until = DateTime.UtcNow + KillFor;
        int batch = Tasks / 30;
        for (int i = 0; i < Tasks; i++)
        {
            futures.Add(submit(i));
            if (i % batch == batch - 1 && (until - DateTime.UtcNow) / Math.Max(1, (Tasks - i) / batch) is { Ticks: > 0 } pause)
            {
                Thread.Sleep(pause);
            }
        }

        var left = until - DateTime.UtcNow;
        if (left > TimeSpan.Zero)
        {
            Thread.Sleep(left);
        }
    }

    private static void AssertAllRight(List<Future<int>> futures, ProgramProcess? coordinator = null)
    {
        var done = Future.Wait(futures, TimeSpan.FromSeconds(90));
        Assert.True(done.NotDone.Count == 0, $"{done.NotDone.Count} of {futures.Count} futures hung{Environment.NewLine}{coordinator?.Output}");
        var wrong = futures.Select((f, i) => (f, i)).Where(x => x.f.Exception() is not null || x.f.Result() != x.i * x.i).ToList();
        Assert.True(wrong.Count == 0, $"{wrong.Count} wrong; first: {wrong.Select(x => x.f.Exception()?.ToString()).FirstOrDefault()}");
    }
}
