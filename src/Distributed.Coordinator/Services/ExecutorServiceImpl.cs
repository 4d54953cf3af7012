using Distributed.Coordinator.Engine;
using Distributed.Coordinator.Wire;
using Distributed.Protocol;
using Distributed.Protocol.V1;
using Grpc.Core;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Distributed.Coordinator.Services;

/// <summary>
/// The face clients (RemoteExecutor) use: one long-lived stream per client for submits, cancels
/// and outcomes; unary calls for status and shutdown. When a client goes away, or falls silent
/// past the client timeout, the coordinator cancels what it still had queued and frees it; what
/// was already running finishes unheard. A client that sends what cannot be read hears why.
/// </summary>
internal sealed partial class ExecutorServiceImpl(
    CoordinatorEngine engine,
    IHostApplicationLifetime lifetime,
    ILogger<ExecutorServiceImpl> logger) : ExecutorServiceBase
{
    public override async Task Open(
        IAsyncStreamReader<ForwardedClientMessage> requestStream,
        IServerStreamWriter<ClientEvent> responseStream,
        ServerCallContext context)
    {
        var connection = new RemoteClientConnection(engine);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, lifetime.ApplicationStopping);
        string? abortReason = null;
        var session = engine.OpenClient(context.Peer, connection, reason =>
        {
            abortReason = reason;
            StreamTokens.CancelQuietly(stop);
        });
        connection.Session = session;
        Log.ClientConnected(logger, context.Peer);

        // Told first, so the client sizes its messages to this coordinator and keeps in touch often enough.
        var options = engine.Options;
        connection.Mailbox.Post(e => e.Opened = new OpenReply
        {
            MaxMessageBytes = (uint)options.MaxMessageBytes,
            HeartbeatIntervalMs = (uint)Math.Max(10, options.ClientTimeout.TotalMilliseconds / 4),
        });
        var writer = MailboxWriter.RunAsync(
            connection.Mailbox,
            (message, token) => responseStream.WriteAsync(message, token),
            message => MessageParts.Split(message, connection.ClientMaxMessageBytes),
            () => connection.HeartbeatInterval,
            () => new ClientEvent { Heartbeat = true },
            stop.Token);
        string reason = "it closed its stream";
        Exception? badMessage = null;
        try
        {
            while (await requestStream.MoveNext(stop.Token).ConfigureAwait(false))
            {
                connection.Handle(requestStream.Current);
            }
        }
#pragma warning disable CA1031 // Whatever ends the stream, the client is detached; a bad message is answered below.
        catch (Exception error)
#pragma warning restore CA1031
        {
            reason = abortReason
                ?? (lifetime.ApplicationStopping.IsCancellationRequested ? "the coordinator is stopping" : StreamFailures.Describe(error));
            if (StreamFailures.IsBadMessage(error, stop.Token))
            {
                badMessage = error;
                reason = $"it sent a message the coordinator could not read ({error.Message})";
            }
        }
        finally
        {
            int canceled = engine.DetachClient(session);
            if (badMessage is null && abortReason is null)
            {
                Log.ClientLeft(logger, context.Peer, reason, canceled);
            }
            else
            {
                Log.ClientRefused(logger, context.Peer, reason, canceled);
            }

            session.Abort(reason);
            await writer.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        if (badMessage is not null)
        {
            throw StreamFailures.Refusal(badMessage, "client", options.MaxMessageBytes);
        }
    }

    public override Task<StatusReply> Status(StatusRequest request, ServerCallContext context) => Task.FromResult(engine.Status());

    public override Task<ShutdownReply> Shutdown(ShutdownRequest request, ServerCallContext context)
    {
        Log.ShutdownRequested(logger, context.Peer, request.CancelQueued);
        engine.StopAccepting(request.CancelQueued);
        lifetime.StopApplication();
        return Task.FromResult(new ShutdownReply());
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 40, Level = LogLevel.Information, Message = "Client {Peer} connected")]
        public static partial void ClientConnected(ILogger logger, string peer);

        [LoggerMessage(EventId = 41, Level = LogLevel.Information, Message = "Client {Peer} left: {Reason}; {Canceled} queued items canceled")]
        public static partial void ClientLeft(ILogger logger, string peer, string reason, int canceled);

        [LoggerMessage(EventId = 42, Level = LogLevel.Warning, Message = "Client {Peer} asked the coordinator to shut down (cancel queued: {CancelQueued})")]
        public static partial void ShutdownRequested(ILogger logger, string peer, bool cancelQueued);

        [LoggerMessage(EventId = 43, Level = LogLevel.Warning, Message = "Client {Peer} was dropped: {Reason}; {Canceled} queued items canceled")]
        public static partial void ClientRefused(ILogger logger, string peer, string reason, int canceled);
    }
}
