namespace Distributed.Futures;

/// <summary>Describes a done callback that threw; see <see cref="Future.CallbackFailed"/>.</summary>
public sealed class FutureCallbackFailedEventArgs : EventArgs
{
    /// <summary>Creates the event data.</summary>
    public FutureCallbackFailedEventArgs(Future future, Exception exception)
    {
        Future = future;
        Exception = exception;
    }

    /// <summary>The future whose callback failed.</summary>
    public Future Future { get; }

    /// <summary>What the callback threw.</summary>
    public Exception Exception { get; }
}
