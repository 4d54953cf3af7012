namespace Distributed.Futures.Internal;

/// <summary>
/// The four task shapes a function may return, seen as one <see cref="ValueTask{TResult}"/>, with
/// no allocation for a task that has already ended (an async method that never awaited).
/// </summary>
internal static class AwaitedOutcome
{
    public static ValueTask<TResult> Of<TResult>(Task<TResult>? task) =>
        task is null ? throw NullTask() : task.IsCompletedSuccessfully ? new(task.Result) : new(task);

    /// <summary>A task without a result: the outcome is null (default), as for an <see cref="Action"/>.</summary>
    public static ValueTask<TResult> Of<TResult>(Task? task)
    {
        if (task is null)
        {
            throw NullTask();
        }

        return task.IsCompletedSuccessfully ? new(default(TResult)!) : AwaitAsync<TResult>(task);
    }

    public static ValueTask<TResult> Of<TResult>(ValueTask task) =>
        task.IsCompletedSuccessfully ? new(default(TResult)!) : AwaitAsync<TResult>(task.AsTask());

    /// <summary>Waits on the calling thread (for <see cref="ExecutorCall{TResult}.Invoke"/>, which must return the outcome).</summary>
    public static TResult Block<TResult>(ValueTask<TResult> pending) =>
        pending.IsCompleted ? pending.GetAwaiter().GetResult() : pending.AsTask().GetAwaiter().GetResult();

    public static InvalidOperationException NotAsync(Delegate function) =>
        new($"{function.Method.Name} does not return a Task or a ValueTask.");

    private static InvalidOperationException NullTask() =>
        new("The task function returned null instead of a Task.");

    private static async ValueTask<TResult> AwaitAsync<TResult>(Task task)
    {
        await task.ConfigureAwait(false);
        return default!;
    }
}
