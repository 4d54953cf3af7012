using System.Reflection;
using System.Text;
using Distributed.Futures;
using Distributed.Protocol.V1;

namespace Distributed.Protocol;

/// <summary>
/// Exceptions to and from <see cref="ErrorInfo"/>. Decoding follows API.md: a task's exception comes
/// back as the same type where the client can build it (a public exception type with a
/// <c>(string message, Exception innerException)</c> constructor) with a <see cref="RemoteTaskException"/>
/// inner exception holding the remote type and stack trace; otherwise as that RemoteTaskException.
/// Infrastructure kinds map to their own types: WORKER_LOST to <see cref="WorkerLostException"/>,
/// BROKEN to <see cref="BrokenProcessPoolException"/>, CANCELED to <see cref="FutureCanceledException"/>,
/// TIMEOUT to <see cref="TimeoutException"/>.
/// </summary>
public static class ErrorCodec
{
    // Enough for any real chain; a cycle or a pathological chain must not blow up the message.
    private const int MaxDepth = 8;

    /// <summary>Describes <paramref name="exception"/> and its inner exceptions as text; the object itself never travels.</summary>
    /// <param name="exception">The exception to describe.</param>
    /// <param name="kind">What failed: the task, its resolution, its arguments, its result, or the infrastructure.</param>
    /// <param name="workerId">The worker where it happened, if any.</param>
    /// <exception cref="ArgumentNullException"><paramref name="exception"/> is null.</exception>
    public static ErrorInfo Encode(Exception exception, ErrorKind kind, string? workerId)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return Encode(exception, kind, workerId ?? string.Empty, depth: 0);
    }

    /// <summary>Rebuilds the exception a future should end with.</summary>
    /// <param name="error">The error that arrived.</param>
    /// <returns>
    /// For TASK, RESOLUTION, ARGUMENTS, RESULT (and an unspecified kind): the remote type rebuilt with a
    /// <see cref="RemoteTaskException"/> inner exception, or that RemoteTaskException itself. For
    /// WORKER_LOST a <see cref="WorkerLostException"/>, for BROKEN a <see cref="BrokenProcessPoolException"/>
    /// (a <see cref="BrokenExecutorException"/> when the error names that type), for NO_WORKERS a
    /// <see cref="BrokenExecutorException"/>,
    /// for CANCELED a <see cref="FutureCanceledException"/>, for TIMEOUT a <see cref="TimeoutException"/>, and for REJECTED (the coordinator refused the
    /// call as malformed or too large) an <see cref="ArgumentException"/>.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="error"/> is null.</exception>
    public static Exception Decode(ErrorInfo error)
    {
        ArgumentNullException.ThrowIfNull(error);
        string? workerId = NullIfEmpty(error.WorkerId);
        switch (error.Kind)
        {
            case ErrorKind.WorkerLost:
                return new WorkerLostException(error.Message, workerId, (int)error.Attempts);
            case ErrorKind.Broken when error.Type == typeof(BrokenExecutorException).FullName:
            case ErrorKind.NoWorkers:
                return new BrokenExecutorException(error.Message);
            case ErrorKind.Broken:
                return new BrokenProcessPoolException(error.Message);
            case ErrorKind.Canceled:
                return new FutureCanceledException(error.Message);
            case ErrorKind.Rejected:
                return new ArgumentException(error.Message);
            case ErrorKind.Timeout:
                return new TimeoutException(error.Message);
            default:
                var remote = new RemoteTaskException(error.Message, error.Type, RemoteStackTrace(error), workerId);
                return Rebuild(error.AssemblyQualifiedType, error.Message, remote) ?? remote;
        }
    }

    private static ErrorInfo Encode(Exception exception, ErrorKind kind, string workerId, int depth)
    {
        var type = exception.GetType();
        var info = new ErrorInfo
        {
            Kind = kind,
            Type = type.FullName ?? type.Name,
            AssemblyQualifiedType = type.AssemblyQualifiedName ?? string.Empty,
            Message = exception.Message,
            StackTrace = exception.StackTrace ?? string.Empty,
            WorkerId = workerId,
        };
        if (exception.InnerException is { } inner && depth + 1 < MaxDepth)
        {
            info.Inner = Encode(inner, kind, workerId, depth + 1);
        }

        return info;
    }

    /// <summary>The remote stack trace, followed by each inner exception the way <see cref="Exception.ToString"/> lists them.</summary>
    private static string? RemoteStackTrace(ErrorInfo error)
    {
        if (error.Inner is null)
        {
            return NullIfEmpty(error.StackTrace);
        }

        var text = new StringBuilder(error.StackTrace);
        for (var inner = error.Inner; inner is not null; inner = inner.Inner)
        {
            if (text.Length > 0)
            {
                text.AppendLine();
            }

            text.Append(" ---> ").Append(inner.Type).Append(": ").Append(inner.Message);
            if (inner.StackTrace.Length > 0)
            {
                text.AppendLine().Append(inner.StackTrace);
            }
        }

        return text.ToString();
    }

    /// <summary>The remote exception's own type, if this process knows it and can build it safely; else null.</summary>
    private static Exception? Rebuild(string assemblyQualifiedType, string message, RemoteTaskException remote)
    {
        if (string.IsNullOrEmpty(assemblyQualifiedType))
        {
            return null;
        }

        Type? type;
        try
        {
            type = Type.GetType(assemblyQualifiedType, throwOnError: false);
        }
        catch (Exception e) when (e is ArgumentException or IOException or BadImageFormatException or TypeLoadException)
        {
            return null;
        }

        // Only a public, concrete exception type is ever instantiated, so a crafted type name
        // cannot make the client construct an arbitrary object.
        if (type is null
            || !typeof(Exception).IsAssignableFrom(type)
            || type.IsAbstract
            || !type.IsVisible
            || type.ContainsGenericParameters)
        {
            return null;
        }

        var constructor = type.GetConstructor(BindingFlags.Public | BindingFlags.Instance, [typeof(string), typeof(Exception)]);
        if (constructor is null)
        {
            return null;
        }

        try
        {
            return (Exception)constructor.Invoke([message, remote]);
        }
        catch (TargetInvocationException)
        {
            return null;
        }
    }

    private static string? NullIfEmpty(string text) => text.Length == 0 ? null : text;
}
