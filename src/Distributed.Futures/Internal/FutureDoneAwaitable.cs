using System.Runtime.CompilerServices;

namespace Distributed.Futures.Internal;

/// <summary>
/// Awaits a future becoming done, without observing its outcome. The continuation is always queued
/// to the thread pool, never run on the thread that completes the future.
/// </summary>
internal readonly struct FutureDoneAwaitable(Future future) : ICriticalNotifyCompletion
{
    public bool IsCompleted => future.IsDone;

    public FutureDoneAwaitable GetAwaiter() => this;

    public void GetResult()
    {
    }

    public void OnCompleted(Action continuation)
    {
        var context = ExecutionContext.Capture();
        future.AddContinuation(context is null ? continuation : () => ExecutionContext.Run(context, static state => ((Action)state!)(), continuation));
    }

    public void UnsafeOnCompleted(Action continuation) => future.AddContinuation(continuation);
}
