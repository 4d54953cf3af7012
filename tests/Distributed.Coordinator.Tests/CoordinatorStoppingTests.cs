using Distributed.Coordinator.Engine;
using Distributed.Protocol.V1;
using Distributed.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Distributed.Coordinator.Tests;

/// <summary>
/// What a coordinator that stops tells its workers: finish and leave, and, because it is the
/// coordinator that goes and not the worker that is retired, come back to the next one.
/// </summary>
public sealed class CoordinatorStoppingTests
{
    [Fact]
    public void Stopping_DrainsEveryWorker_AndSaysTheCoordinatorIsStopping()
    {
        var engine = new CoordinatorEngine(new EngineOptions(), NullLogger.Instance);
        var worker = Register(engine, "w1");
        Assert.NotNull(Take(worker).Welcome);

        engine.DrainAll(coordinatorStopping: true);

        var message = Take(worker);
        Assert.True(message.Drain);
        Assert.True(message.CoordinatorStopping);
    }

    [Fact]
    public void AWorkerThatRegistersWhileTheCoordinatorStops_IsSentAwayAtOnce()
    {
        var engine = new CoordinatorEngine(new EngineOptions(), NullLogger.Instance);
        engine.DrainAll(coordinatorStopping: true);

        var late = Register(engine, "late");

        var message = Take(late);
        Assert.NotNull(message.Welcome);
        Assert.True(message.Drain, "a worker that registered during the shutdown would hold it up");
        Assert.True(message.CoordinatorStopping);
        Assert.True(late.Draining);
    }

    [Fact]
    public void DrainingWorkersAlone_IsNotStopping_AndLaterWorkersAreWelcome()
    {
        var engine = new CoordinatorEngine(new EngineOptions(), NullLogger.Instance);
        var first = Register(engine, "first");
        Take(first);

        engine.DrainAll();

        var drained = Take(first);
        Assert.True(drained.Drain);
        Assert.False(drained.CoordinatorStopping, "a retired worker must leave for good, not dial again");
        var next = Take(Register(engine, "next"));
        Assert.False(next.Drain);
    }

    private static WorkerSession Register(CoordinatorEngine engine, string id) =>
        engine.RegisterWorker(new Register { WorkerId = id, Host = "test", Pid = 1, Slots = 1 }, _ => { });

    private static CoordinatorMessage Take(WorkerSession worker)
    {
        var take = worker.Mailbox.TakeAsync(Timeout.InfiniteTimeSpan, CancellationToken.None);
        Assert.True(take.Wait(TestTimeouts.Default), "no message for the worker");
        return EngineHarness.AsWorkerReadsIt(take.Result);
    }
}
