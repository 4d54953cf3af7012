using Distributed.Protocol;
using Distributed.Protocol.V1;
using Grpc.Core;

namespace Distributed.Worker;

/// <summary>What a session says and hears: the registration, the initializer's one run, and the coordinator's messages applied.</summary>
public sealed partial class WorkerRuntime
{
    private WorkerMessage NewRegistration()
    {
        var register = new Register
        {
            WorkerId = _options.WorkerId,
            Host = Environment.MachineName,
            Pid = Environment.ProcessId,
            Slots = (uint)_options.Slots,
            ProtocolVersion = ProtocolInfo.Version,
            MaxMessageBytes = (uint)_options.MaxMessageBytes,
        };
        register.Assemblies.AddRange(TaskAssemblies.Names);
        return new WorkerMessage { Register = register };
    }

    // Python runs the initializer once per worker process; a worker that reconnects keeps its state.
    private bool RunInitializerOnce(Welcome welcome, FunctionTable functions, Outbox outbox)
    {
        if (welcome.Initializer is null || _initializerRan)
        {
            return true;
        }

        var resolution = functions.Resolve(welcome.Initializer);
        Exception? failure = resolution.Error;
        if (resolution.Function is { } initializer)
        {
            try
            {
                initializer.Invoke([]);
            }
#pragma warning disable CA1031 // Whatever the initializer throws breaks the pool; it is reported, not rethrown.
            catch (Exception error)
#pragma warning restore CA1031
            {
                failure = error;
            }
        }

        if (failure is null)
        {
            _initializerRan = true;
            return true;
        }

        Log.InitializerFailed(_logger, _options.WorkerId, failure);
        outbox.SetInitializerFailed(new InitializerFailed { Error = ErrorCodec.Encode(failure, ErrorKind.Task, _options.WorkerId) });
        return false;
    }

    /// <returns>The message that drained this worker; null if the stream ended without one.</returns>
    private static async Task<CoordinatorMessage?> ReceiveAsync(
        IAsyncStreamReader<CoordinatorMessage> messages,
        FunctionTable functions,
        SlotPool slots,
        Outbox outbox,
        CancellationToken cancellationToken)
    {
        try
        {
            while (await messages.MoveNext(cancellationToken).ConfigureAwait(false))
            {
                if (Apply(messages.Current, functions, slots, outbox) is { } drain)
                {
                    return drain;
                }
            }
        }
        catch (RpcException)
        {
            // The connection broke: the same as the stream ending.
        }

        return null;
    }

    /// <summary>Acts on one message from the coordinator; returns it if it says to drain.</summary>
    private static CoordinatorMessage? Apply(CoordinatorMessage message, FunctionTable functions, SlotPool slots, Outbox outbox)
    {
        foreach (var definition in message.Functions)
        {
            functions.Define(definition);
        }

        foreach (var unit in message.Units)
        {
            slots.Enqueue(new WorkUnit(unit));
        }

        foreach (var cancel in message.Cancels)
        {
            outbox.AddCancelReply(new CancelReply { RequestId = cancel.RequestId, Canceled = slots.TryCancel(cancel.UnitId, cancel.Index) });
        }

        foreach (var item in message.TokenCancels)
        {
            slots.CancelToken(item.UnitId, item.Index);
        }

        foreach (var started in message.Started)
        {
            slots.ConfirmStart(started.UnitId, started.StartedIndex);
        }

        return message.Drain ? message : null;
    }
}
