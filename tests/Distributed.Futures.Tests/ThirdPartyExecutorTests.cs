using Distributed.Testing;

namespace Distributed.Futures.Tests;

/// <summary>
/// The executor contract, kept by an executor built on the public API alone
/// (<see cref="DedicatedThreadExecutor"/>, in an assembly that sees no internals): whatever our
/// executors do to their futures, a third-party executor can do too.
/// </summary>
public sealed class ThirdPartyExecutorTests : ExecutorContractTests
{
    [Fact]
    public void Callbacks_RunOnTheDeliveryThread_NotOnTheThreadThatRanTheCall()
    {
        using var executor = new DedicatedThreadExecutor(1);
        using var release = new ManualResetEventSlim();
        var callbackThread = new TaskCompletionSource<string?>();

        // The call waits until the callback is added, so the callback is not run at once here.
        var future = executor.Submit(() =>
        {
            release.Wait(Timeout);
            return Thread.CurrentThread.Name;
        });
        future.AddDoneCallback(_ => callbackThread.TrySetResult(Thread.CurrentThread.Name));
        release.Set();

        Assert.Equal("third-party-0", future.Result(Timeout));
        Assert.True(callbackThread.Task.Wait(Timeout), "the callback never ran");
        Assert.StartsWith("third-party-callbacks", callbackThread.Task.Result, StringComparison.Ordinal);
    }

    [Fact]
    public void With_OptionsItDoesNotRun_IsRefusedNamingTheExecutor_AndTheDefaultsAreAccepted()
    {
        using var executor = new DedicatedThreadExecutor(1);

        var error = Assert.Throws<NotSupportedException>(() => executor.With(new TaskOptions { Priority = 1 }));
        Assert.Contains(nameof(DedicatedThreadExecutor), error.Message, StringComparison.Ordinal);
        Assert.Equal(3, executor.With(TaskOptions.Default).Submit(() => 3).Result(Timeout));
    }

    protected override Executor CreateExecutor(int maxWorkers) => new DedicatedThreadExecutor(maxWorkers);
}
