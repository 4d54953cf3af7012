namespace Distributed.Futures.Internal;

/// <summary>
/// The view <see cref="Executor.With"/> returns: the same executor, whose calls carry the view's
/// <see cref="TaskOptions"/>. It owns nothing; shutting it down shuts the executor down.
/// </summary>
internal sealed class OptionsExecutor(Executor inner, TaskOptions options) : Executor
{
    public Executor Inner { get; } = inner;

    public TaskOptions Options { get; } = options;

    protected override bool SupportsMapChunks => Inner.MapsInChunks;

    public override bool IsShutdown => Inner.IsShutdown;

    public override BrokenExecutorException? BrokenError => Inner.BrokenError;

    public override void Shutdown(bool wait = true, bool cancelFutures = false) => Inner.Shutdown(wait, cancelFutures);

    public override Task ShutdownAsync(bool cancelFutures = false) => Inner.ShutdownAsync(cancelFutures);

    public override string ToString() => $"{Inner} with {Options}";

    protected override Future<TResult> SubmitCall<TResult>(ExecutorCall<TResult> executorCall)
    {
        ArgumentNullException.ThrowIfNull(executorCall);
        executorCall.Options = Options;
        return Inner.SubmitForMap(executorCall);
    }

    protected override MapChunk<TResult> SubmitMapChunk<TResult>(IReadOnlyList<ExecutorCall<TResult>> calls)
    {
        ArgumentNullException.ThrowIfNull(calls);
        foreach (var call in calls)
        {
            call.Options = Options;
        }

        return Inner.SubmitChunkForMap(calls);
    }
}
