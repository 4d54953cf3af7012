using Distributed.Coordinator.Engine;
using Distributed.Protocol.V1;
using Distributed.Protocol;
using Grpc.Core;

namespace Distributed.Coordinator.Services;

/// <summary>
/// The face workers dial: one stream per worker. The first message registers it; after that, its
/// messages go to the engine and the engine's go out through the worker's mailbox, written by one
/// loop because a stream allows one write at a time.
/// </summary>
internal sealed class WorkerHubService(CoordinatorEngine engine) : WorkerHub.WorkerHubBase
{
    public override async Task Connect(
        IAsyncStreamReader<WorkerMessage> requestStream,
        IServerStreamWriter<CoordinatorMessage> responseStream,
        ServerCallContext context)
    {
        if (!await requestStream.MoveNext(context.CancellationToken).ConfigureAwait(false)
            || requestStream.Current.Register is not { } registration)
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
            connection.Cancel();
        });
        var writer = WriteAsync(worker, responseStream, connection.Token);
        try
        {
            while (await requestStream.MoveNext(connection.Token).ConfigureAwait(false))
            {
                engine.OnWorkerMessage(worker, requestStream.Current);
            }

            engine.RemoveWorker(worker, "it closed its stream", expected: true);
        }
        catch (Exception error) when (error is OperationCanceledException or IOException or RpcException or InvalidOperationException)
        {
            engine.RemoveWorker(worker, abortReason ?? $"its connection broke ({error.Message})");
        }
        finally
        {
            await connection.CancelAsync().ConfigureAwait(false);
            await writer.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private static async Task WriteAsync(WorkerSession worker, IServerStreamWriter<CoordinatorMessage> stream, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var message = await worker.Mailbox.TakeAsync(cancellationToken).ConfigureAwait(false);
            await stream.WriteAsync(message, cancellationToken).ConfigureAwait(false);
        }
    }
}
