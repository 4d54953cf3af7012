namespace Distributed.Futures.Internal;

/// <summary>
/// Tells a done future's registered entries (see <see cref="CompletionSlot"/>): waiters and await
/// continuations first, as Python notifies its waiters before it invokes callbacks, so a slow or
/// blocking callback never holds up Wait, AsCompleted or await; then the user callbacks in order,
/// here or through the executor's runner. A callback that throws is reported and the rest still run.
/// </summary>
internal static class CompletionRunner
{
    /// <param name="future">The future that is done.</param>
    /// <param name="entries">What <see cref="CompletionSlot.Detach"/> returned.</param>
    /// <param name="runCallbacks">Runs the user callbacks elsewhere (a delivery thread); null runs them here.</param>
    public static void Run(Future future, object? entries, Action<Action>? runCallbacks)
    {
        if (entries is not List<object> list)
        {
            if (entries is null)
            {
                return;
            }

            if (runCallbacks is not null && !IsWaiterOrContinuation(entries))
            {
                runCallbacks(() => RunOne(future, entries));
            }
            else
            {
                RunOne(future, entries);
            }

            return;
        }

        foreach (object entry in list)
        {
            if (IsWaiterOrContinuation(entry))
            {
                RunOne(future, entry);
            }
        }

        if (runCallbacks is not null)
        {
            runCallbacks(() => RunCallbacks(future, list));
        }
        else
        {
            RunCallbacks(future, list);
        }
    }

    /// <summary>Schedules an await continuation on the thread pool: it never runs inline on the completing thread.</summary>
    public static void QueueContinuation(Action continuation) =>
        ThreadPool.UnsafeQueueUserWorkItem(static action => action(), continuation, preferLocal: false);

    /// <summary>Runs a user callback (untyped or the future's typed one), reporting what it throws.</summary>
    public static void InvokeCallback(Future future, object callback)
    {
        try
        {
            if (callback is Action<Future> untyped)
            {
                untyped(future);
            }
            else
            {
                future.InvokeTypedCallback(callback);
            }
        }
#pragma warning disable CA1031 // A failing callback must not stop the others or the executor thread.
        catch (Exception error)
#pragma warning restore CA1031
        {
            ReportCallbackFailure(future, error);
        }
    }

    private static void RunCallbacks(Future future, List<object> list)
    {
        foreach (object entry in list)
        {
            if (!IsWaiterOrContinuation(entry))
            {
                RunOne(future, entry);
            }
        }
    }

    private static bool IsWaiterOrContinuation(object entry) => entry is FutureWaiter or Action;

    private static void RunOne(Future future, object entry)
    {
        switch (entry)
        {
            case FutureWaiter waiter:
                waiter.OnFutureDone(future);
                break;
            case Action continuation:
                QueueContinuation(continuation);
                break;
            default:
                InvokeCallback(future, entry);
                break;
        }
    }

    /// <summary>
    /// Raises <see cref="Future.CallbackFailed"/> for user code that threw on the library's behalf
    /// (a done callback, a progress sink), or writes it to standard error when nobody listens.
    /// </summary>
    /// <param name="future">The future the failed code ran for.</param>
    /// <param name="error">What it threw.</param>
    /// <param name="what">What failed, for the standard error line.</param>
    public static void ReportCallbackFailure(Future future, Exception error, string what = "done callback")
    {
        var handlers = Future.CallbackFailedHandlers;
        if (handlers is null)
        {
            Console.Error.WriteLine($"Exception in {what} of {future}: {error}");
            return;
        }

        try
        {
            handlers(future, new FutureCallbackFailedEventArgs(future, error));
        }
#pragma warning disable CA1031 // The reporting hook itself failed; stderr is the last resort.
        catch (Exception hookError)
#pragma warning restore CA1031
        {
            Console.Error.WriteLine($"Exception in {what} of {future}: {error}{Environment.NewLine}and in the CallbackFailed handler: {hookError}");
        }
    }
}
