using System.Text;

namespace Distributed.Futures;

/// <summary>
/// An exception raised by a task in another process (Python's <c>_RemoteTraceback</c>). It carries
/// the remote exception's type name and stack trace as text, because the exception object itself
/// cannot cross the process boundary. When the client can rebuild the remote exception's type, that
/// exception is thrown and this one is its <see cref="Exception.InnerException"/>; otherwise this
/// one is thrown.
/// </summary>
public sealed class RemoteTaskException : Exception
{
    /// <summary>Creates the exception with the default message.</summary>
    public RemoteTaskException()
        : this("A remote task failed.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public RemoteTaskException(string? message)
        : this(message, (Exception?)null)
    {
    }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    public RemoteTaskException(string? message, Exception? innerException)
        : base(message, innerException)
    {
        RemoteType = string.Empty;
    }

    /// <summary>Creates the exception that describes a failure in a worker.</summary>
    /// <param name="message">The remote exception's message.</param>
    /// <param name="remoteType">The remote exception's full type name.</param>
    /// <param name="remoteStackTrace">The remote exception's stack trace, if the worker sent one.</param>
    /// <param name="workerId">The id of the worker that ran the task, if known.</param>
    public RemoteTaskException(string? message, string remoteType, string? remoteStackTrace, string? workerId)
        : base(message)
    {
        ArgumentNullException.ThrowIfNull(remoteType);
        RemoteType = remoteType;
        RemoteStackTrace = remoteStackTrace;
        WorkerId = workerId;
    }

    /// <summary>The full type name of the exception the task raised in the worker.</summary>
    public string RemoteType { get; }

    /// <summary>The stack trace of the exception in the worker, as text.</summary>
    public string? RemoteStackTrace { get; }

    /// <summary>The id of the worker that ran the task.</summary>
    public string? WorkerId { get; }

    /// <summary>Describes the exception, including the remote type and stack trace.</summary>
    public override string ToString()
    {
        var text = new StringBuilder(base.ToString());
        text.AppendLine().Append("--- remote ").Append(RemoteType);
        if (WorkerId is not null)
        {
            text.Append(" on worker ").Append(WorkerId);
        }

        text.AppendLine(" ---");
        if (RemoteStackTrace is not null)
        {
            text.Append(RemoteStackTrace);
        }

        return text.ToString();
    }
}
