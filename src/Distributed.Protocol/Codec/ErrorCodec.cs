using Distributed.Futures;
using Distributed.Protocol.V1;

namespace Distributed.Protocol;

/// <summary>
/// Exceptions to and from <see cref="ErrorInfo"/>. Decoding follows API.md: a task's exception comes
/// back as the same type where the client can build it (a public exception type with a
/// <c>(string message, Exception innerException)</c> constructor) with a <see cref="RemoteTaskException"/>
/// inner exception holding the remote type and stack trace; otherwise as that RemoteTaskException.
/// Infrastructure kinds map to their own types: WORKER_LOST to <see cref="WorkerLostException"/>,
/// BROKEN to <see cref="BrokenProcessPoolException"/>, CANCELED to <see cref="FutureCanceledException"/>.
/// </summary>
public static class ErrorCodec
{
    public static ErrorInfo Encode(Exception exception, ErrorKind kind, string? workerId) => throw new NotImplementedException();

    public static Exception Decode(ErrorInfo error) => throw new NotImplementedException();
}
