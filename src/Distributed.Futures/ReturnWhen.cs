namespace Distributed.Futures;

/// <summary>When <see cref="Future.Wait{TFuture}"/> returns.</summary>
public enum ReturnWhen
{
    /// <summary>As soon as any future is done (finished or canceled).</summary>
    FirstCompleted,

    /// <summary>As soon as any future finishes with an exception; if none does, when all are done.</summary>
    FirstException,

    /// <summary>When every future is done.</summary>
    AllCompleted,
}
