using Distributed.Coordinator.Engine;
using Distributed.Coordinator.Wire;
using Distributed.Protocol;
using Distributed.Protocol.V1;
using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace Distributed.Coordinator.Services;

/// <summary>
/// The face workers dial: one stream per worker. The first message registers it; after that, its
/// messages go to the engine and the engine's go out through the worker's mailbox, written by one
/// loop because a stream allows one write at a time. However the stream ends, the worker is
/// removed, so what it held runs elsewhere.
/// </summary>
internal sealed partial class WorkerHubService(CoordinatorEngine engine, ILogger<WorkerHubService> logger) : WorkerHubBase
{
    // How long a broken stream waits to hear how the worker's process ended, when it is one this host started.
    private static readonly TimeSpan s_exitPatience = TimeSpan.FromSeconds(1);

    public override async Task Connect(
        IAsyncStreamReader<WorkerMessage> requestStream,
        IServerStreamWriter<ForwardedCoordinatorMessage> responseStream,
        ServerCallContext context)
    {
        if (await ReadFirstAsync(requestStream, context) is not { Register: { } registration })
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "The first message on a worker stream must be a Register."));
        }

        if (registration.ProtocolVersion != ProtocolInfo.Version)
        {
            throw new RpcException(new Status(
                StatusCode.FailedPrecondition,
                $"This coordinator speaks {ProtocolInfo.Version}; worker {registration.WorkerId} speaks '{registration.ProtocolVersion}'."));
        }

        using var connection = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
        string? abortReason = null;
        var worker = engine.RegisterWorker(registration, reason =>
        {
            abortReason = reason;
            StreamTokens.CancelQuietly(connection);
        });
        var writer = MailboxWriter.RunAsync(
            worker.Mailbox,
            (message, token) => responseStream.WriteAsync(message, token),
            message => ForwardedMessageParts.Split(message, worker.MaxMessageBytes),
            () => Timeout.InfiniteTimeSpan,
            () => new ForwardedCoordinatorMessage(),
            connection.Token);
        string reason = "it closed its stream";
        bool expected = false;
        Exception? badMessage = null;
        try
        {
            while (await requestStream.MoveNext(connection.Token).ConfigureAwait(false))
            {
                engine.OnWorkerMessage(worker, requestStream.Current);
            }

            expected = true;
        }
#pragma warning disable CA1031 // Whatever ends the stream, the worker is removed; a bad message is answered below.
        catch (Exception error)
#pragma warning restore CA1031
        {
            reason = abortReason ?? StreamFailures.Describe(error);
            if (StreamFailures.IsBadMessage(error, connection.Token))
            {
                badMessage = error;
                Log.BadMessage(logger, $"Worker {worker.Id}", error.Message);
            }
        }
        finally
        {
            if (!expected && abortReason is null && badMessage is null)
            {
                engine.StopAssigning(worker);
                reason = await HowTheProcessEndedAsync(worker) ?? reason;
            }

            engine.RemoveWorker(worker, reason, expected);
            worker.Abort(reason);
            await writer.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        if (badMessage is not null)
        {
            throw StreamFailures.Refusal(badMessage, "worker", engine.Options.MaxMessageBytes);
        }
    }

    /// <summary>The stream's first message, or null if it ended first; what cannot be read is answered with the reason.</summary>
    private async Task<WorkerMessage?> ReadFirstAsync(IAsyncStreamReader<WorkerMessage> requestStream, ServerCallContext context)
    {
        try
        {
            return await requestStream.MoveNext(context.CancellationToken).ConfigureAwait(false) ? requestStream.Current : null;
        }
        catch (Exception error) when (StreamFailures.IsBadMessage(error, context.CancellationToken))
        {
            Log.BadMessage(logger, $"A worker at {context.Peer}", error.Message);
            throw StreamFailures.Refusal(error, "worker", engine.Options.MaxMessageBytes);
        }
    }

    /// <summary>For a worker process this host started: how it ended, if it ends soon (a killed one ends with its stream).</summary>
    private async Task<string?> HowTheProcessEndedAsync(WorkerSession worker)
    {
        if (engine.WorkerExits?.WhenExited(worker.Id) is not { } exited)
        {
            return null;
        }

        try
        {
            return $"its process ended with {await exited.WaitAsync(s_exitPatience, engine.Options.Time).ConfigureAwait(false)}";
        }
        catch (TimeoutException)
        {
            return null;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 50, Level = LogLevel.Warning, Message = "{Who} sent a message the coordinator could not read, and was dropped: {Problem}")]
        public static partial void BadMessage(ILogger logger, string who, string problem);
    }
}
