using Distributed.Protocol.V1;
using Grpc.Core;

namespace Distributed.Worker;

/// <summary>How a session's stream ends: a refusal read from its final status and explained, and a bounded close.</summary>
public sealed partial class WorkerRuntime
{
    /// <summary>The call's final status if it says the coordinator refused this worker; null otherwise (or if it does not come soon).</summary>
    private static async Task<Status?> RefusalAsync(AsyncDuplexStreamingCall<WorkerMessage, CoordinatorMessage> call)
    {
        Status status;
        try
        {
            await call.ResponseHeadersAsync.WaitAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
            status = call.GetStatus();
        }
        catch (RpcException ended)
        {
            status = ended.Status;
        }
        catch (Exception notYet) when (notYet is TimeoutException or InvalidOperationException)
        {
            return null;
        }

        return IsRefusal(status.StatusCode) ? status : null;
    }

    /// <summary>The coordinator turned this worker away (a wrong token, a protocol it does not speak): dialing again would not help.</summary>
    private static bool IsRefusal(StatusCode code) =>
        code is StatusCode.Unauthenticated or StatusCode.PermissionDenied or StatusCode.FailedPrecondition;

    /// <summary>Why a call failed, in words that point at the cause.</summary>
    private string Explain(RpcException error)
    {
        // Dialing a socket file that is not there reads as "Cannot assign requested address (localhost:80)".
        if (_options.Coordinator.SocketPath is { } path && !File.Exists(path))
        {
            return $"no coordinator is listening: {path} does not exist";
        }

        return error.Status.Detail;
    }

    /// <summary>
    /// Ends this worker's side and waits for the coordinator to end its own. Disposing the call
    /// any sooner can reset the stream before the coordinator has read the last message, losing
    /// the final outcomes or the news that the initializer failed.
    /// </summary>
    private static async Task CloseAsync(AsyncDuplexStreamingCall<WorkerMessage, CoordinatorMessage> call, CancellationToken cancellationToken)
    {
        await call.RequestStream.CompleteAsync().ConfigureAwait(false);
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        patience.CancelAfter(TimeSpan.FromSeconds(10));
        try
        {
            while (await call.ResponseStream.MoveNext(patience.Token).ConfigureAwait(false))
            {
            }
        }
        catch (RpcException)
        {
            // The coordinator is gone, or did not answer in time: nothing more can be done.
        }
    }
}
