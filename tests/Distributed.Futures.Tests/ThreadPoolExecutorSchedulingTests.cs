using Distributed.Testing;

namespace Distributed.Futures.Tests;

/// <summary>
/// How the thread pool hands work to threads: every submit gets a worker of its own (an idle one it
/// alone claims, or a new thread while below MaxWorkers), so tasks that wait on each other never
/// starve while the pool has room, and a submitter's context flows into its task.
/// </summary>
public sealed class ThreadPoolExecutorSchedulingTests
{
    private static readonly TimeSpan Timeout = TestTimeouts.Default;

    [Fact]
    public void TwoSubmitsMeetingOneIdleThread_TheSecondGetsANewThread()
    {
        // A fresh pool each round, with one thread, idle after its first task. A waits for B: if
        // both submits counted that one idle thread, no second thread would start and A would wait
        // for B forever.
        for (int round = 0; round < 100; round++)
        {
            using var executor = new ThreadPoolExecutor(maxWorkers: 2);
            executor.Submit(TestTasks.NoOp).Result(Timeout);

            // Not a wait for an outcome: it lets the idle thread fall asleep, which widens the
            // window in which both submits could see it as idle.
            Thread.Sleep(2);

            using var bRan = new ManualResetEventSlim();
            var a = executor.Submit(() => bRan.Wait(Timeout));
            var b = executor.Submit(bRan.Set);

            Assert.True(a.Result(Timeout), $"round {round}: A never saw B run");
            b.Result(Timeout);
        }
    }

    [Fact]
    public void DoneCallbackThatSubmitsAndWaits_GetsAThreadOfItsOwn()
    {
        using var executor = new ThreadPoolExecutor(maxWorkers: 2);
        using var gate = new TaskGate();
        var inner = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var outer = executor.Submit(TestTasks.PassGate, gate.Port, 1);

        // Added while the task is held at the gate, so the callback runs on the pool's only thread,
        // which counted itself idle before publishing: the submit must not be given to that thread.
        outer.AddDoneCallback(_ => inner.SetResult(executor.Submit(TestTasks.Identity, 2).Result(Timeout)));
        gate.Open();

        Assert.True(inner.Task.Wait(Timeout));
        Assert.Equal(2, inner.Task.Result);
    }

    [Fact]
    public void ExecutionContext_FlowsFromEachSubmitterIntoItsTask()
    {
        var value = new AsyncLocal<string>();
        using var executor = new ThreadPoolExecutor(maxWorkers: 1);

        value.Value = "first";
        var first = executor.Submit(() => value.Value);
        first.Result(Timeout);
        value.Value = "second";
        var second = executor.Submit(() => value.Value);
        value.Value = null!;
        var none = executor.Submit(() => value.Value);

        Assert.Equal("first", first.Result(Timeout));
        Assert.Equal("second", second.Result(Timeout));
        Assert.Null(none.Result(Timeout));
    }

    [Fact]
    public void ShutdownCancelingQueuedWork_DropsTheCallsArguments()
    {
        using var executor = new ThreadPoolExecutor(maxWorkers: 1);
        var gate = new TaskGate();
        executor.Submit(TestTasks.PassGate, gate.Port, 0);
        gate.WaitForArrivals(1);
        var (canceled, payload) = SubmitWithPayload(executor);

        executor.Shutdown(wait: false, cancelFutures: true);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        Assert.True(canceled.IsCanceled);
        Assert.False(payload.IsAlive, "a canceled future still holds its call's arguments");
        gate.Dispose();
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static (Future<int> Future, WeakReference Payload) SubmitWithPayload(ThreadPoolExecutor executor)
    {
        var payload = new byte[1024];
        return (executor.Submit(p => p.Length, payload), new WeakReference(payload));
    }
}
