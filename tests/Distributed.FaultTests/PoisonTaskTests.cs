using Distributed.Futures;
using Distributed.Testing;

namespace Distributed.FaultTests;

/// <summary>
/// A poison task (one that ends its worker process on every attempt) fails alone, once it has
/// killed 1 + MaxRetries workers, with a <see cref="WorkerLostException"/> that lists each attempt;
/// the tasks around it are not touched, and a task that finished is never run again.
/// </summary>
[Collection(OneFaultAtATime.Name)]
public sealed class PoisonTaskTests
{
    private static readonly TimeSpan Timeout = TestTimeouts.Default;

    [Theory]
    [InlineData(42, "exit code 42")]
    [InlineData(0, "SIGKILL")]
    public void EmbeddedPool_PoisonTaskAmongGoodOnes_FailsAloneAfterItsAttempts(int exitCode, string exitText)
    {
        using var gate = new TaskGate();
        gate.Open();
        using var pool = new ProcessPoolExecutor(new ProcessPoolOptions { MaxWorkers = 2, MaxRetries = 2 });

        var before = Enumerable.Range(0, 200).Select(i => pool.Submit(TestTasks.Square, i)).ToList();
        var poison = pool.Submit(ProcessTasks.ArriveThenDie, gate.Port, exitCode);
        var after = Enumerable.Range(0, 200).Select(i => pool.Submit(TestTasks.Square, i)).ToList();

        var error = Assert.Throws<WorkerLostException>(() => poison.Result(Timeout));
        AssertAttemptsListed(error, attempts: 3, exitText);
        Assert.Equal(3, gate.Arrivals);
        Assert.Equal(before.Concat(after).Select(f => f.Result(Timeout)), Enumerable.Range(0, 200).Concat(Enumerable.Range(0, 200)).Select(i => i * i));
        Assert.Equal(49, pool.Submit(TestTasks.Square, 7).Result(Timeout));
    }

    [Fact]
    public void StandaloneCoordinator_PoisonTaskAmongGoodOnes_FailsAloneAfterItsAttempts()
    {
        using var gate = new TaskGate();
        gate.Open();
        using var coordinator = ProgramProcess.StartCoordinator(
            ["--workers", "2", "--max-retries", "1", "--assembly", typeof(TestTasks).Assembly.Location], out string address);
        using var client = new RemoteExecutor(address);

        var good = Enumerable.Range(0, 300).Select(i => client.Submit(TestTasks.Square, i)).ToList();
        var poison = client.Submit(ProcessTasks.ArriveThenDie, gate.Port, 0);

        var error = Assert.Throws<WorkerLostException>(() => poison.Result(Timeout));
        AssertAttemptsListed(error, attempts: 2, "SIGKILL");
        Assert.Equal(2, gate.Arrivals);
        Assert.Equal(Enumerable.Range(0, 300).Select(i => i * i), good.Select(f => f.Result(Timeout)));
        Assert.Equal(49, client.Submit(TestTasks.Square, 7).Result(Timeout));
    }

    [Fact]
    public void PoisonItemInAMapChunk_FailsAlone_AndEveryOtherItemOfTheChunkGetsItsResult()
    {
        using var gate = new TaskGate();
        gate.Open();
        using var pool = new ProcessPoolExecutor(new ProcessPoolOptions { MaxWorkers = 2, MaxRetries = 1 });
        var codes = Enumerable.Range(0, 40).Select(i => i == 25 ? 0 : 1).ToList();

        var results = new List<object>();
        try
        {
            foreach (int value in pool.Map(PoisonOrIdentity, codes.Select((code, i) => (gate.Port, code, i)), chunkSize: 10))
            {
                results.Add(value);
            }
        }
        catch (WorkerLostException error)
        {
            results.Add(error);
        }

        // Map stops at the first failure: the 25 items before it came back in order, then the poison's error.
        Assert.Equal(Enumerable.Range(0, 25).Cast<object>(), results.Take(25));
        var lost = Assert.IsType<WorkerLostException>(results[25]);
        Assert.Contains("Item 5 of a Map chunk", lost.Message, StringComparison.Ordinal);
        Assert.Equal(2, lost.Attempts);
    }

    [Fact]
    public void TaskThatFinished_IsNeverRunAgain_WhenItsWorkerDiesLater()
    {
        string runs = Path.Combine(Path.GetTempPath(), $"runs-{Guid.NewGuid():N}.txt");
        try
        {
            using var gate = new TaskGate();
            using var pool = new ProcessPoolExecutor(maxWorkers: 1);
            var finished = Enumerable.Range(0, 50).Select(i => pool.Submit(ProcessTasks.RecordRun, runs, i)).ToList();
            Assert.Equal(Enumerable.Range(0, 50), finished.Select(f => f.Result(Timeout)));
            var blocker = pool.Submit(TestTasks.PassGate, gate.Port, -1);
            gate.WaitForArrivals(1);
            var behind = Enumerable.Range(50, 10).Select(i => pool.Submit(ProcessTasks.RecordRun, runs, i)).ToList();

            ProcessTable.Signal(Assert.Single(pool.WorkerProcessIds), "KILL");

            gate.WaitForArrivals(2);
            gate.Open();
            Assert.Equal(-1, blocker.Result(Timeout));
            Assert.Equal(Enumerable.Range(50, 10), behind.Select(f => f.Result(Timeout)));
            var counts = File.ReadAllLines(runs).GroupBy(int.Parse).ToDictionary(g => g.Key, g => g.Count());
            Assert.Equal(Enumerable.Range(0, 60), counts.Keys.Order());
            Assert.All(counts, run => Assert.True(run.Value == 1, $"task {run.Key} ran {run.Value} times"));
        }
        finally
        {
            File.Delete(runs);
        }
    }

    /// <summary>For the Map test: item <c>i</c> returns i, or, with code 0, dies as a poison task.</summary>
    public static int PoisonOrIdentity((int Port, int Code, int Index) item) =>
        item.Code == 0 ? ProcessTasks.ArriveThenDie(item.Port, 0) : item.Index;

    private static void AssertAttemptsListed(WorkerLostException error, int attempts, string exitText)
    {
        Assert.Equal(attempts, error.Attempts);
        for (int attempt = 1; attempt <= attempts; attempt++)
        {
            Assert.Contains($"attempt {attempt}: worker ", error.Message, StringComparison.Ordinal);
        }

        Assert.DoesNotContain($"attempt {attempts + 1}:", error.Message, StringComparison.Ordinal);
        Assert.Contains(exitText, error.Message, StringComparison.Ordinal);
        Assert.Contains("pid ", error.Message, StringComparison.Ordinal);
    }
}
