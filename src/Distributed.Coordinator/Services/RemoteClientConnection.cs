using Distributed.Coordinator.Engine;
using Distributed.Coordinator.Wire;
using Distributed.Protocol;
using Distributed.Protocol.V1;

namespace Distributed.Coordinator.Services;

/// <summary>
/// One remote client's stream, as the engine sees it: the engine's news goes into a mailbox that
/// the stream's writer loop empties, and the client's own function numbers map to the engine's.
/// </summary>
internal sealed class RemoteClientConnection(CoordinatorEngine engine) : IClientSink
{
    private readonly Dictionary<uint, uint> _functions = [];

    public Mailbox<ClientEvent> Mailbox { get; } = new();

    public ClientSession? Session { get; set; }

    /// <summary>The largest message the client takes: the default until its hello says otherwise.</summary>
    public int ClientMaxMessageBytes { get; private set; } = ProtocolInfo.DefaultMaxMessageBytes;

    /// <summary>
    /// How often the client wants to hear from the coordinator at least: what a client with the
    /// default connection-loss timeout asks for, until its hello says.
    /// </summary>
    public TimeSpan HeartbeatInterval { get; private set; } = TimeSpan.FromSeconds(2.5);

    /// <summary>Acts on one message from the client.</summary>
    public void Handle(ForwardedClientMessage message)
    {
        var session = Session!;
        session.Heard();
        if (message.Hello is { } hello)
        {
            if (hello.MaxMessageBytes >= ProtocolInfo.MinMaxMessageBytes)
            {
                ClientMaxMessageBytes = (int)Math.Min(hello.MaxMessageBytes, int.MaxValue);
            }

            session.MaxOutcomeBytes = Math.Min(ClientMaxMessageBytes, engine.Options.MaxMessageBytes);
            if (hello.HeartbeatIntervalMs > 0)
            {
                HeartbeatInterval = TimeSpan.FromMilliseconds(Math.Max(hello.HeartbeatIntervalMs, 10));
            }

            // The writer may be waiting already, by the old interval: this wakes it (an empty event is a heartbeat).
            Mailbox.Post(_ => { });
        }

        foreach (var definition in message.Functions)
        {
            // A path from the client's machine means nothing here, and a standalone worker never
            // loads a file it is sent: only its own task assemblies.
            var function = definition.Function.Clone();
            function.AssemblyPath = string.Empty;
            _functions[definition.FunctionId] = engine.RegisterFunction(function);
        }

        foreach (var unit in message.Units)
        {
            // An unknown number becomes one the engine cannot know either, so it rejects the unit clearly.
            unit.FunctionId = _functions.TryGetValue(unit.FunctionId, out uint global) ? global : uint.MaxValue;
            ulong unitId = unit.UnitId;
            try
            {
                engine.Submit(session, unit);
            }
            catch (InvalidOperationException closed)
            {
                var error = new ErrorInfo { Kind = ErrorKind.Rejected, Type = typeof(InvalidOperationException).FullName, Message = $"The coordinator no longer accepts work: {closed.Message}" };
                OnRejected(unitId, error);
            }
        }

        foreach (var cancel in message.Cancels)
        {
            ulong requestId = cancel.RequestId;
            _ = engine.CancelAsync(session, cancel.UnitId, cancel.Index).ContinueWith(
                answer => Mailbox.Post(e => e.CancelResults.Add(new CancelResult { RequestId = requestId, Canceled = answer.Result })),
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously | TaskContinuationOptions.OnlyOnRanToCompletion,
                TaskScheduler.Default);
        }

        foreach (var withdrawal in message.Withdrawals)
        {
            _ = engine.Withdraw(session, withdrawal).ContinueWith(
                answer => OnWithdrawn(answer.Result),
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously | TaskContinuationOptions.OnlyOnRanToCompletion,
                TaskScheduler.Default);
        }

        if (message.TokenCancels.Count > 0)
        {
            engine.CancelByToken(session, message.TokenCancels);
        }

        if (message.Close)
        {
            // Shutting down: no more units come; those queued still run, and the stream ends when they are done.
            engine.CloseClient(session, cancelQueued: false);
        }
    }

    public void OnOutcomes(IReadOnlyList<UnitOutcome> outcomes) => Mailbox.Post(e => e.Outcomes.AddRange(outcomes));

    public void OnRunning(IReadOnlyList<UnitProgress> progress) => Mailbox.Post(e => e.Running.AddRange(progress));

    public void OnWithdrawn(Withdrawn withdrawn) => Mailbox.Post(e => e.Withdrawn.Add(withdrawn));

    public void OnRejected(ulong unitId, ErrorInfo error) => Mailbox.Post(e => e.Rejected.Add(new RejectedUnit { UnitId = unitId, Error = error }));

    public void OnBroken(ErrorInfo error) => Mailbox.Post(e => e.Broken = error);
}
