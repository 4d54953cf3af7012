using Distributed.Coordinator.Engine;
using Distributed.Protocol;
using Distributed.Protocol.V1;
using Grpc.Core;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Distributed.Coordinator.Services;

/// <summary>
/// The face clients (RemoteExecutor) use: one long-lived stream per client for submits, cancels
/// and outcomes; unary calls for status and shutdown. When a client goes away, the coordinator
/// cancels what it still had queued and frees it; what was already running finishes unheard.
/// </summary>
internal sealed partial class ExecutorServiceImpl(
    CoordinatorEngine engine,
    IHostApplicationLifetime lifetime,
    ILogger<ExecutorServiceImpl> logger) : ExecutorService.ExecutorServiceBase
{
    public override async Task Open(
        IAsyncStreamReader<ClientMessage> requestStream,
        IServerStreamWriter<ClientEvent> responseStream,
        ServerCallContext context)
    {
        var connection = new RemoteClientConnection(engine);
        var session = engine.OpenClient(context.Peer, connection);
        connection.Session = session;
        Log.ClientConnected(logger, context.Peer);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, lifetime.ApplicationStopping);
        var writer = WriteAsync(connection.Mailbox, responseStream, stop.Token);
        string reason = "it closed its stream";
        try
        {
            while (await requestStream.MoveNext(stop.Token).ConfigureAwait(false))
            {
                connection.Handle(requestStream.Current);
            }
        }
        catch (Exception error) when (error is OperationCanceledException or IOException or RpcException or InvalidOperationException)
        {
            reason = lifetime.ApplicationStopping.IsCancellationRequested ? "the coordinator is stopping" : $"its connection broke ({error.Message})";
        }
        finally
        {
            int canceled = engine.DetachClient(session);
            Log.ClientLeft(logger, context.Peer, reason, canceled);
            await stop.CancelAsync().ConfigureAwait(false);
            await writer.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
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

    private static async Task WriteAsync(Mailbox<ClientEvent> mailbox, IServerStreamWriter<ClientEvent> stream, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var message = await mailbox.TakeAsync(cancellationToken).ConfigureAwait(false);
            await stream.WriteAsync(message, cancellationToken).ConfigureAwait(false);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 40, Level = LogLevel.Information, Message = "Client {Peer} connected")]
        public static partial void ClientConnected(ILogger logger, string peer);

        [LoggerMessage(EventId = 41, Level = LogLevel.Information, Message = "Client {Peer} left: {Reason}; {Canceled} queued items canceled")]
        public static partial void ClientLeft(ILogger logger, string peer, string reason, int canceled);

        [LoggerMessage(EventId = 42, Level = LogLevel.Warning, Message = "Client {Peer} asked the coordinator to shut down (cancel queued: {CancelQueued})")]
        public static partial void ShutdownRequested(ILogger logger, string peer, bool cancelQueued);
    }
}
