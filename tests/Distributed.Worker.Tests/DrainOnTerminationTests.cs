using System.Runtime.InteropServices;
using Distributed.Protocol;
using Distributed.WorkerHost;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Distributed.Worker.Tests;

/// <summary>
/// The worker executable's answer to SIGTERM and Ctrl+C, on a fake clock: the first signal drains
/// and starts the drain timeout, which (or a second signal) ends the session. The same with real
/// signals to a real worker process is in the fault tests.
/// </summary>
public sealed class DrainOnTerminationTests
{
    private static readonly TimeSpan s_drainTimeout = TimeSpan.FromSeconds(25);
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void TheFirstSignalDrains_AndTheSessionEndsOnlyWhenTheDrainTimeoutRunsOut()
    {
        var runtime = NewRuntime();
        using var termination = new DrainOnTermination(runtime, s_drainTimeout, _time, NullLogger.Instance);

        termination.OnRequest(PosixSignal.SIGTERM);
        Assert.True(runtime.DrainRequested);
        _time.Advance(s_drainTimeout - TimeSpan.FromMilliseconds(1));
        Assert.False(termination.Abort.IsCancellationRequested);

        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(termination.Abort.IsCancellationRequested);
    }

    [Fact]
    public void ASecondSignal_EndsTheSessionAtOnce()
    {
        var runtime = NewRuntime();
        using var termination = new DrainOnTermination(runtime, s_drainTimeout, _time, NullLogger.Instance);

        termination.OnRequest(PosixSignal.SIGTERM);
        Assert.False(termination.Abort.IsCancellationRequested);
        termination.OnRequest(PosixSignal.SIGINT);
        Assert.True(termination.Abort.IsCancellationRequested);
    }

    [Fact]
    public void NoSignal_NoTimeout_EvenLongAfter()
    {
        var runtime = NewRuntime();
        using var termination = new DrainOnTermination(runtime, s_drainTimeout, _time, NullLogger.Instance);

        _time.Advance(TimeSpan.FromHours(1));
        Assert.False(termination.Abort.IsCancellationRequested);
        Assert.False(runtime.DrainRequested);
    }

    private static WorkerRuntime NewRuntime() => new(new WorkerOptions
    {
        Coordinator = CoordinatorAddress.Parse("http://127.0.0.1:1"),
        WorkerId = "drain-test",
        TaskAssemblyPaths = [],
    });
}
