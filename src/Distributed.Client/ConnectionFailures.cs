using System.Net.Http;
using Distributed.Futures;
using Distributed.Protocol;
using Grpc.Core;

namespace Distributed.Client;

/// <summary>
/// What a remote executor's futures are told when its stream to the coordinator ends: the cause,
/// in the words of the setting that bounds it where there is one.
/// </summary>
internal static class ConnectionFailures
{
    /// <param name="error">Why the stream ended.</param>
    /// <param name="address">The coordinator, as the client named it.</param>
    /// <param name="connectionLossTimeout">The client's bound on a silent coordinator.</param>
    public static BrokenExecutorException Describe(Exception error, CoordinatorAddress address, TimeSpan connectionLossTimeout) => error switch
    {
        RpcException { StatusCode: StatusCode.Unauthenticated or StatusCode.PermissionDenied } refused =>
            new($"The coordinator at {address} refused this client: {refused.Status.Detail}", refused),
        RpcException { StatusCode: StatusCode.InvalidArgument or StatusCode.ResourceExhausted } refused =>
            new($"The coordinator at {address} ended the connection: {refused.Status.Detail}", refused),
        RpcException unanswered when IsUnansweredPing(unanswered) => new(
            $"The coordinator at {address} did not answer a keep-alive ping within RemoteExecutorOptions.ConnectionLossTimeout " +
            $"({connectionLossTimeout.TotalSeconds:F1} s): it is taken for lost.", unanswered),
        RpcException lost => new($"The connection to the coordinator at {address} was lost: {lost.Status.Detail}", lost),
        _ => new($"The connection to the coordinator at {address} was lost: {error.Message}", error),
    };

    /// <summary>
    /// True when HTTP/2 keep-alive gave up on the coordinator: the backstop under the silence watch
    /// (which starts its clock again when this process was starved), so the same bound, named the
    /// same way. The handler tells that only in its message ("didn't respond to a ping request").
    /// </summary>
    private static bool IsUnansweredPing(RpcException error)
    {
        for (Exception? cause = error.Status.DebugException ?? error.InnerException; cause is not null; cause = cause.InnerException)
        {
            if (cause is HttpProtocolException && cause.Message.Contains("ping", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
