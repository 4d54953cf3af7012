using Distributed.Coordinator.Engine;
using Distributed.Coordinator.Wire;
using Google.Protobuf;
using Distributed.Protocol.V1;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Distributed.Coordinator.Tests;

/// <summary>
/// The engine driven directly, as the services drive it, without processes or sockets: a client
/// that records what it is told, workers whose messages the test writes and whose mailboxes it
/// reads, and a fake clock. Unit ids are the client's.
/// </summary>
internal sealed class EngineHarness
{
    private int _workers;

    public EngineHarness(int maxRetries = EngineDefaults.MaxRetries, int? maxTasksPerWorker = null, System.Diagnostics.Metrics.IMeterFactory? meters = null)
    {
        Engine = new CoordinatorEngine(new EngineOptions { Time = Clock, MaxRetries = maxRetries, MaxTasksPerWorker = maxTasksPerWorker, MeterFactory = meters }, NullLogger.Instance);
        Client = Engine.OpenClient("test", Sink);
        Function = Engine.RegisterFunction(new FunctionRef { AssemblyName = "Tasks", TypeName = "Tasks", MethodName = "Run" });
    }

    public FakeTimeProvider Clock { get; } = new();

    public RecordingSink Sink { get; } = new();

    public CoordinatorEngine Engine { get; }

    public ClientSession Client { get; }

    public uint Function { get; }

    public void Submit(ulong unitId, uint items = 1) => Engine.Submit(Client, new CallUnit { UnitId = unitId, FunctionId = Function, Count = items });

    public WorkerSession NewWorker(int slots = 1)
    {
        int n = ++_workers;
        return Engine.RegisterWorker(new Register { WorkerId = $"w{n}", Host = "test", Pid = n, Slots = (uint)slots }, _ => { });
    }

    /// <summary>What the engine has sent the worker since the last look (an empty message if nothing), read as the worker reads it.</summary>
    public static CoordinatorMessage Sent(WorkerSession worker) =>
        AsWorkerReadsIt(worker.Mailbox.TakeAsync(TimeSpan.Zero, CancellationToken.None).GetAwaiter().GetResult());

    /// <summary>The coordinator's message through the wire: its bytes parsed as the worker's type.</summary>
    public static CoordinatorMessage AsWorkerReadsIt(ForwardedCoordinatorMessage? message) =>
        message is null ? new CoordinatorMessage() : CoordinatorMessage.Parser.ParseFrom(message.ToByteArray());

    public void Started(WorkerSession worker, ulong unitId, uint index = 0) =>
        Engine.OnWorkerMessage(worker, new WorkerMessage { Progress = { new UnitProgress { UnitId = unitId, StartedIndex = index } } });

    /// <summary>The worker reports the unit done (every item it holds ran).</summary>
    public void Finished(WorkerSession worker, ulong unitId) =>
        Engine.OnWorkerMessage(worker, new WorkerMessage { Outcomes = { new UnitOutcome { UnitId = unitId } } });

    public void Leaves(WorkerSession worker) => Engine.RemoveWorker(worker, "it left", expected: true);

    public void Killed(WorkerSession worker) => Engine.RemoveWorker(worker, "its process ended with exit code 137 (signal 9, SIGKILL)");

    /// <summary>The outcome the client got for its unit.</summary>
    public UnitOutcome OutcomeOf(ulong unitId) => Assert.Single(Sink.Outcomes, o => o.UnitId == unitId);
}
