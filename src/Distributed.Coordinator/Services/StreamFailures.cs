using Google.Protobuf;
using Grpc.Core;

namespace Distributed.Coordinator.Services;

/// <summary>
/// What ended the reading side of a stream: the peer went (it closed, reset or dropped the
/// connection, or was aborted for silence), or the peer sent something that is not a message at
/// all (a truncated frame, bytes that do not parse, a message past the size limit). The first is
/// the normal end of a stream; the second is answered with an error status that says what was
/// wrong, so the sender hears why its call ended.
/// </summary>
internal static class StreamFailures
{
    /// <summary>True if the exception says the peer's input was bad, not that the peer went away.</summary>
    public static bool IsBadMessage(Exception error, CancellationToken callEnded) =>
        !callEnded.IsCancellationRequested && error switch
        {
            InvalidProtocolBufferException => true,
            RpcException rpc => rpc.StatusCode is not (StatusCode.Cancelled or StatusCode.Unavailable or StatusCode.DeadlineExceeded),
            OperationCanceledException or IOException => false,
            _ => true,
        };

    /// <summary>The status that tells the peer what was wrong with what it sent.</summary>
    public static RpcException Refusal(Exception error, string who, int maxMessageBytes)
    {
        if (error is RpcException { StatusCode: StatusCode.ResourceExhausted })
        {
            return new RpcException(new Status(
                StatusCode.ResourceExhausted,
                $"A message from this {who} is larger than the coordinator's limit of {maxMessageBytes:N0} bytes (--max-message-bytes): {Detail(error)}"));
        }

        return new RpcException(new Status(StatusCode.InvalidArgument, $"The coordinator could not read a message from this {who}: {Detail(error)}"));
    }

    /// <summary>Why the stream ended, in words for a log.</summary>
    public static string Describe(Exception error) => $"its connection broke ({Detail(error)})";

    private static string Detail(Exception error) => error is RpcException rpc ? rpc.Status.Detail : $"{error.GetType().Name}: {error.Message}";
}
