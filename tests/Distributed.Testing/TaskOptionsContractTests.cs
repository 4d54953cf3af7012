using Distributed.Futures;
using Xunit;

namespace Distributed.Testing;

/// <summary>
/// Per-task options (shared/API.md's <c>With</c> and <c>TaskOptions</c>): retries, priority and
/// timeouts, on every executor of this library. An executor written elsewhere need not run them
/// (<c>SupportsTaskOptions</c>), so they are a contract of their own on top of the shared one.
/// </summary>
public abstract class TaskOptionsContractTests : ExecutorContractTests
{
    private static readonly TaskOptions RetryInvalidOperation = new() { RetryOn = [typeof(InvalidOperationException)] };

    [Fact]
    public void With_DefaultOptions_BehavesAsTheExecutorItself()
    {
        var executor = NewExecutor();
        var view = executor.With(TaskOptions.Default);

        Assert.Equal(9, view.Submit(TestTasks.Square, 3).Result(Timeout));
        Assert.Equal([1, 4, 9], view.Map(TestTasks.Square, [1, 2, 3], Timeout));
        Assert.Equal(5, view.Submit(TestTasks.AddValueAsync, 2, 3).Result(Timeout));
    }

    [Fact]
    public void Retry_ListedException_RunsTheTaskAgainUntilItSucceeds()
    {
        var executor = NewExecutor();
        string counter = NewTraceFile();

        var future = executor.With(RetryInvalidOperation with { MaxRetries = 2 }).Submit(TestTasks.FailUntilAttempt, counter, 2);

        Assert.Equal(3, future.Result(Timeout));
    }

    [Fact]
    public void Retry_UsedUp_FailsWithTheLastAttemptsException()
    {
        var executor = NewExecutor();
        string counter = NewTraceFile();

        var future = executor.With(RetryInvalidOperation with { MaxRetries = 1 }).Submit(TestTasks.FailUntilAttempt, counter, 5);

        var error = Assert.IsAssignableFrom<InvalidOperationException>(future.Exception(Timeout));
        Assert.Equal("attempt 2 failed", error.Message);
        Assert.Equal(2, new FileInfo(counter).Length);
    }

    [Fact]
    public void Retry_BaseTypeListed_RetriesDerivedExceptions()
    {
        var executor = NewExecutor();
        string counter = NewTraceFile();
        var options = new TaskOptions { MaxRetries = 3, RetryOn = [typeof(SystemException)] };

        Assert.Equal(2, executor.With(options).Submit(TestTasks.FailUntilAttempt, counter, 1).Result(Timeout));
    }

    [Fact]
    public void Retry_ExceptionNotListed_FailsAtOnce()
    {
        var executor = NewExecutor();
        string counter = NewTraceFile();

        var future = executor.With(RetryInvalidOperation with { MaxRetries = 3 }).Submit(TestTasks.FailWithArgument, counter);

        Assert.IsAssignableFrom<ArgumentException>(future.Exception(Timeout));
        Assert.Equal(1, new FileInfo(counter).Length);
    }

    [Fact]
    public void Retry_NoRetriesAllowed_ListedExceptionFailsAtOnce()
    {
        var executor = NewExecutor();
        string counter = NewTraceFile();

        var future = executor.With(RetryInvalidOperation).Submit(TestTasks.FailUntilAttempt, counter, 1);

        Assert.Equal("attempt 1 failed", future.Exception(Timeout)?.Message);
    }

    [Fact]
    public void Retry_InMap_RetriesEachItemOnItsOwn()
    {
        var executor = NewExecutor();
        string[] counters = [NewTraceFile(), NewTraceFile(), NewTraceFile(), NewTraceFile()];
        var view = executor.With(RetryInvalidOperation with { MaxRetries = 2 });

        var attempts = view.Map(TestTasks.FailUntilAttempt, counters, [0, 1, 2, 3], Timeout).Select(attempt => (object)attempt);

        // The last item needs three retries and has two: its exception ends the iteration where it stands.
        var seen = new List<object>();
        var error = Assert.Throws<InvalidOperationException>(() =>
        {
            foreach (var attempt in attempts)
            {
                seen.Add(attempt);
            }
        });
        Assert.Equal([1, 2, 3], seen);
        Assert.Equal("attempt 3 failed", error.Message);
    }

    [Fact]
    public void Priority_HigherRunsFirst_AndEqualPrioritiesKeepSubmissionOrder()
    {
        var executor = NewExecutor(maxWorkers: 1);
        var gate = NewGate();
        string order = NewTraceFile();
        var blocker = executor.Submit(TestTasks.PassGate, gate.Port, 0);
        gate.WaitForArrivals(1);

        var futures = new List<Future<int>>
        {
            executor.Submit(TestTasks.RecordRun, order, 1),
            executor.With(new TaskOptions { Priority = -3 }).Submit(TestTasks.RecordRun, order, -1),
            executor.With(new TaskOptions { Priority = 5 }).Submit(TestTasks.RecordRun, order, 50),
            executor.Submit(TestTasks.RecordRun, order, 2),
            executor.With(new TaskOptions { Priority = 5 }).Submit(TestTasks.RecordRun, order, 51),
            executor.With(new TaskOptions { Priority = 9 }).Submit(TestTasks.RecordRun, order, 90),
        };
        gate.Open();

        Assert.Equal(0, blocker.Result(Timeout));
        futures.ForEach(future => future.Result(Timeout));
        Assert.Equal([90, 50, 51, 1, 2, -1], TestTasks.RecordedRuns(order));
    }

    [Fact]
    public void Timeout_TaskThatHonoursItsToken_FailsWithTimeoutNamingTheLimit()
    {
        var executor = NewExecutor();
        var gate = NewGate();
        var options = new TaskOptions { Timeout = TimeSpan.FromMilliseconds(300) };

        var future = executor.With(options).Submit(TestTasks.AwaitCancelAsync, gate.Port, CancellationToken.None);

        var error = Assert.IsType<TimeoutException>(future.Exception(Timeout));
        Assert.Contains("300 ms", error.Message, StringComparison.Ordinal);
        Assert.False(future.IsCanceled);
        Assert.Equal(1, gate.Arrivals);
        Assert.Equal(4, executor.Submit(TestTasks.Identity, 4).Result(Timeout));
    }

    [Fact]
    public void Timeout_SyncTaskBlockedOnItsToken_IsSignaledAndFailsWithTimeout()
    {
        var executor = NewExecutor();
        var gate = NewGate();
        var options = new TaskOptions { Timeout = TimeSpan.FromMilliseconds(200) };

        var future = executor.With(options).Submit(TestTasks.BlockUntilCanceled, gate.Port, CancellationToken.None);

        Assert.IsType<TimeoutException>(future.Exception(Timeout));
        Assert.Equal(5, executor.Submit(TestTasks.Identity, 5).Result(Timeout));
    }

    [Fact]
    public void Timeout_TaskIgnoringItsToken_StillFailsAndTheExecutorServesTheNextTask()
    {
        var executor = NewExecutor(maxWorkers: 2);
        var gate = NewGate();
        var options = new TaskOptions { Timeout = TimeSpan.FromMilliseconds(200) };

        var stuck = executor.With(options).Submit(TestTasks.PassGate, gate.Port, 1);
        gate.WaitForArrivals(1);

        var error = Assert.IsType<TimeoutException>(stuck.Exception(Timeout));
        Assert.Contains("200 ms", error.Message, StringComparison.Ordinal);
        Assert.Equal([1, 4, 9, 16], executor.Map(TestTasks.Square, [1, 2, 3, 4], Timeout));
    }

    [Fact]
    public void Timeout_TaskWithinItsLimit_ReturnsItsResult()
    {
        var executor = NewExecutor();
        var options = new TaskOptions { Timeout = TimeSpan.FromSeconds(20) };

        Assert.Equal(49, executor.With(options).Submit(TestTasks.SquareAsync, 7).Result(Timeout));
        Assert.Equal([1, 4], executor.With(options).Map(TestTasks.Square, [1, 2], Timeout));
    }

    [Fact]
    public void Timeout_TimeInTheQueueDoesNotCount()
    {
        var executor = NewExecutor(maxWorkers: 1);
        var gate = NewGate();
        var limit = TimeSpan.FromMilliseconds(300);
        var blocker = executor.Submit(TestTasks.PassGate, gate.Port, 1);
        gate.WaitForArrivals(1);
        var queued = executor.With(new TaskOptions { Timeout = limit }).Submit(TestTasks.Square, 6);

        // Not a wait for an event: the point is that the queued task's limit passes while it waits.
        Thread.Sleep(limit * 2);
        gate.Open();

        Assert.Equal(1, blocker.Result(Timeout));
        Assert.Equal(36, queued.Result(Timeout));
    }

    /// <summary>A file path of this test's own, deleted when the test ends.</summary>
    protected string NewTraceFile()
    {
        string path = Path.Combine(Path.GetTempPath(), $"distributed-test-{Guid.NewGuid():N}.txt");
        File.WriteAllBytes(path, []);
        DisposeAfterExecutors(new DeleteFile(path));
        return path;
    }

    private sealed class DeleteFile(string path) : IDisposable
    {
        public void Dispose() => File.Delete(path);
    }
}
