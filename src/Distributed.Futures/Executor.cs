using Distributed.Futures.Internal;

namespace Distributed.Futures;

/// <summary>
/// Runs calls asynchronously and hands back a <see cref="Future"/> for each (Python's
/// <c>concurrent.futures.Executor</c>). Code written against this class runs unchanged on a
/// <see cref="ThreadPoolExecutor"/>, a process pool or a remote cluster.
/// </summary>
/// <remarks>
/// Executor authors implement <see cref="SubmitCall{TResult}"/> and <see cref="Shutdown"/>; every
/// <c>Submit</c> and <c>Map</c> overload funnels into them. Disposing is <c>Shutdown(wait: true)</c>.
/// </remarks>
public abstract partial class Executor : IDisposable, IAsyncDisposable
{
    /// <summary>Schedules <paramref name="function"/> to run and returns a future for its result.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="function"/> is null.</exception>
    /// <exception cref="InvalidOperationException">The executor was shut down.</exception>
    /// <exception cref="BrokenExecutorException">The executor is broken.</exception>
    public Future<TResult> Submit<TResult>(Func<TResult> function)
    {
        ArgumentNullException.ThrowIfNull(function);
        return Schedule(new FuncCall<TResult>(function));
    }

    /// <summary>Schedules <c>function(arg1)</c> to run and returns a future for its result.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="function"/> is null.</exception>
    /// <exception cref="InvalidOperationException">The executor was shut down.</exception>
    /// <exception cref="BrokenExecutorException">The executor is broken.</exception>
    public Future<TResult> Submit<T1, TResult>(Func<T1, TResult> function, T1 arg1)
    {
        ArgumentNullException.ThrowIfNull(function);
        return Schedule(new FuncCall<T1, TResult>(function, arg1));
    }

    /// <summary>Schedules <c>function(arg1, arg2)</c> to run and returns a future for its result.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="function"/> is null.</exception>
    /// <exception cref="InvalidOperationException">The executor was shut down.</exception>
    /// <exception cref="BrokenExecutorException">The executor is broken.</exception>
    public Future<TResult> Submit<T1, T2, TResult>(Func<T1, T2, TResult> function, T1 arg1, T2 arg2)
    {
        ArgumentNullException.ThrowIfNull(function);
        return Schedule(new FuncCall<T1, T2, TResult>(function, arg1, arg2));
    }

    /// <summary>Schedules <c>function(arg1, arg2, arg3)</c> to run and returns a future for its result.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="function"/> is null.</exception>
    /// <exception cref="InvalidOperationException">The executor was shut down.</exception>
    /// <exception cref="BrokenExecutorException">The executor is broken.</exception>
    public Future<TResult> Submit<T1, T2, T3, TResult>(Func<T1, T2, T3, TResult> function, T1 arg1, T2 arg2, T3 arg3)
    {
        ArgumentNullException.ThrowIfNull(function);
        return Schedule(new FuncCall<T1, T2, T3, TResult>(function, arg1, arg2, arg3));
    }

    /// <summary>Schedules <paramref name="action"/> to run; the future's result is null.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="action"/> is null.</exception>
    /// <exception cref="InvalidOperationException">The executor was shut down.</exception>
    /// <exception cref="BrokenExecutorException">The executor is broken.</exception>
    public Future Submit(Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        return Schedule(new ActionCall(action));
    }

    /// <summary>Schedules <c>action(arg1)</c> to run; the future's result is null.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="action"/> is null.</exception>
    /// <exception cref="InvalidOperationException">The executor was shut down.</exception>
    /// <exception cref="BrokenExecutorException">The executor is broken.</exception>
    public Future Submit<T1>(Action<T1> action, T1 arg1)
    {
        ArgumentNullException.ThrowIfNull(action);
        return Schedule(new ActionCall<T1>(action, arg1));
    }

    /// <summary>Schedules <c>action(arg1, arg2)</c> to run; the future's result is null.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="action"/> is null.</exception>
    /// <exception cref="InvalidOperationException">The executor was shut down.</exception>
    /// <exception cref="BrokenExecutorException">The executor is broken.</exception>
    public Future Submit<T1, T2>(Action<T1, T2> action, T1 arg1, T2 arg2)
    {
        ArgumentNullException.ThrowIfNull(action);
        return Schedule(new ActionCall<T1, T2>(action, arg1, arg2));
    }

    /// <summary>Schedules <c>action(arg1, arg2, arg3)</c> to run; the future's result is null.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="action"/> is null.</exception>
    /// <exception cref="InvalidOperationException">The executor was shut down.</exception>
    /// <exception cref="BrokenExecutorException">The executor is broken.</exception>
    public Future Submit<T1, T2, T3>(Action<T1, T2, T3> action, T1 arg1, T2 arg2, T3 arg3)
    {
        ArgumentNullException.ThrowIfNull(action);
        return Schedule(new ActionCall<T1, T2, T3>(action, arg1, arg2, arg3));
    }

    /// <summary>
    /// Applies <paramref name="function"/> to every item, concurrently, and yields the results in
    /// input order (Python's <c>Executor.map</c>). Tasks are submitted at this call, not at the first
    /// <c>MoveNext</c>.
    /// </summary>
    /// <param name="function">The function to apply.</param>
    /// <param name="items">The inputs. Without <paramref name="bufferSize"/> they are all read, and
    /// all submitted, before this method returns.</param>
    /// <param name="timeout">One deadline for the whole iteration, measured from this call; when it
    /// passes, <c>MoveNext</c> throws <see cref="TimeoutException"/> and the remaining tasks are canceled.</param>
    /// <param name="chunkSize">How many items a process or remote pool sends per message; every item
    /// still gets its own result or exception. The thread pool ignores it.</param>
    /// <param name="bufferSize">If set, only this many items are read ahead, and one more is submitted
    /// each time a result is taken, so an infinite sequence works.</param>
    /// <returns>The results, enumerable once. The <c>MoveNext</c> that reaches a failed task throws its
    /// exception; the iteration then ends and every task not yet started is canceled, as it is when the
    /// enumerator is disposed early.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="function"/> or <paramref name="items"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="chunkSize"/> is below 1 or <paramref name="bufferSize"/> is not positive.</exception>
    /// <exception cref="InvalidOperationException">The executor was shut down.</exception>
    public IEnumerable<TResult> Map<T, TResult>(
        Func<T, TResult> function,
        IEnumerable<T> items,
        TimeSpan? timeout = null,
        int chunkSize = 1,
        int? bufferSize = null)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(items);
        return MapIterator<T, TResult>.Start(
            this, items, item => new FuncCall<T, TResult>(function, item), timeout, chunkSize, bufferSize);
    }

    /// <summary>
    /// Applies <paramref name="function"/> to pairs of items taken from both sequences, stopping at
    /// the shorter one; otherwise as <see cref="Map{T, TResult}(Func{T, TResult}, IEnumerable{T}, TimeSpan?, int, int?)"/>.
    /// </summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="chunkSize"/> is below 1 or <paramref name="bufferSize"/> is not positive.</exception>
    /// <exception cref="InvalidOperationException">The executor was shut down.</exception>
    public IEnumerable<TResult> Map<T1, T2, TResult>(
        Func<T1, T2, TResult> function,
        IEnumerable<T1> items1,
        IEnumerable<T2> items2,
        TimeSpan? timeout = null,
        int chunkSize = 1,
        int? bufferSize = null)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(items1);
        ArgumentNullException.ThrowIfNull(items2);
        return MapIterator<(T1, T2), TResult>.Start(
            this,
            items1.Zip(items2),
            pair => new FuncCall<T1, T2, TResult>(function, pair.Item1, pair.Item2),
            timeout,
            chunkSize,
            bufferSize,
            MapInputs.ZippedCount(items1, items2, bufferSize));
    }

    /// <summary>
    /// A view of this executor whose <c>Submit</c> and <c>Map</c> run their tasks with
    /// <paramref name="options"/>: a timeout, retries on chosen exceptions, a priority. The view
    /// is this executor (its queue, workers and shutdown), so it costs nothing to make one per
    /// kind of task: <c>pool.With(new TaskOptions { Priority = 10 }).Submit(Work, x)</c>. On a
    /// view, <c>With</c> replaces the options (derive them with <c>with</c> to keep some).
    /// </summary>
    /// <param name="options">How the view's tasks run.</param>
    /// <returns>The view. Shutting it down, or disposing it, shuts this executor down.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="NotSupportedException">The executor does not run <see cref="TaskOptions"/> (see <see cref="SupportsTaskOptions"/>) and the options are not the defaults.</exception>
    public Executor With(TaskOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var inner = this is OptionsExecutor view ? view.Inner : this;
        if (!inner.SupportsTaskOptions && !options.Equals(TaskOptions.Default))
        {
            // Ignoring them would be silent: a timeout that never fires, a retry that never runs.
            throw new NotSupportedException($"{inner.GetType().Name} does not run per-task options (TaskOptions); it runs every task with the defaults.");
        }

        return new OptionsExecutor(inner, options);
    }

    /// <summary>
    /// True once a shutdown began (<see cref="Shutdown"/>, <see cref="ShutdownAsync"/>, or a dispose):
    /// later submits throw <see cref="InvalidOperationException"/>. For health checks and the like;
    /// an executor written elsewhere that does not override it says false.
    /// </summary>
    public virtual bool IsShutdown => false;

    /// <summary>
    /// Why the executor is broken, the exception a submit throws now (an initializer that threw, a
    /// process pool whose workers cannot start, a remote executor that lost its coordinator); null
    /// while it is not broken. For health checks and the like; an executor written elsewhere that
    /// does not override it says null.
    /// </summary>
    public virtual BrokenExecutorException? BrokenError => null;

    /// <summary>
    /// Signals the executor to free its resources once pending work is done (Python's
    /// <c>shutdown</c>). Later submits throw <see cref="InvalidOperationException"/>. Idempotent.
    /// </summary>
    /// <param name="wait">True to return only when all queued and running work is done; false to return at once while queued work still runs.</param>
    /// <param name="cancelFutures">True to cancel every future that has not started.</param>
    public abstract void Shutdown(bool wait = true, bool cancelFutures = false);

    /// <summary>
    /// Shuts down and completes when all queued and running work is done, without blocking a thread
    /// where the executor supports it.
    /// </summary>
    /// <param name="cancelFutures">True to cancel every future that has not started.</param>
    public virtual Task ShutdownAsync(bool cancelFutures = false) =>
        Task.Factory.StartNew(
            () => Shutdown(wait: true, cancelFutures),
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);

    /// <summary>Shuts down and waits for all work: <c>Shutdown(wait: true)</c>.</summary>
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Shuts down and completes when all work is done: <see cref="ShutdownAsync"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        await DisposeAsyncCore().ConfigureAwait(false);
        Dispose(disposing: false);
        GC.SuppressFinalize(this);
    }

    /// <summary>
    /// The asynchronous half of the dispose pattern: shuts down through <see cref="ShutdownAsync"/>.
    /// An executor that holds managed resources releases them here as well as in <see cref="Dispose(bool)"/>,
    /// which <see cref="DisposeAsync"/> calls with <c>false</c>.
    /// </summary>
    protected virtual ValueTask DisposeAsyncCore() => new(ShutdownAsync());

    /// <summary>Runs <c>Shutdown(wait: true)</c> when <paramref name="disposing"/>.</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            Shutdown(wait: true);
        }
    }

    /// <summary>
    /// Schedules one call and returns its future. Every <c>Submit</c> overload ends here after its
    /// argument checks, and so does <c>Map</c> unless <see cref="SupportsMapChunks"/> is set.
    /// </summary>
    /// <exception cref="InvalidOperationException">The executor was shut down.</exception>
    /// <exception cref="BrokenExecutorException">The executor is broken.</exception>
    protected abstract Future<TResult> SubmitCall<TResult>(ExecutorCall<TResult> executorCall);

    /// <summary>
    /// True if the executor sends the calls of one <c>Map</c> chunk together, through
    /// <see cref="SubmitMapChunk{TResult}"/>; false (the default) makes <c>Map</c> ignore its chunk size.
    /// </summary>
    protected virtual bool SupportsMapChunks => false;

    /// <summary>
    /// True if the executor runs each call as its <c>Options</c> say (timeout,
    /// retries, priority); only then does <see cref="With"/> accept options other than the
    /// defaults. An executor written outside this library that does not look at them leaves it
    /// false, so its users get an error instead of options silently ignored.
    /// </summary>
    protected virtual bool SupportsTaskOptions => false;

    /// <summary>
    /// Schedules the calls of one <c>Map</c> chunk, consecutive items in input order, and returns
    /// their outcomes. The default submits each call on its own; executors that ship work elsewhere
    /// override it to send the chunk as one message.
    /// </summary>
    protected virtual MapChunk<TResult> SubmitMapChunk<TResult>(IReadOnlyList<ExecutorCall<TResult>> calls)
    {
        ArgumentNullException.ThrowIfNull(calls);
        var futures = new Future<TResult>[calls.Count];
        for (int i = 0; i < futures.Length; i++)
        {
            futures[i] = SubmitCall(calls[i]);
        }

        return new FutureMapChunk<TResult>(futures);
    }

    /// <summary>
    /// Called when the process exits while this executor is registered by
    /// <see cref="DrainAtProcessExit"/>: finish the queued work, without waiting on the calling
    /// thread itself (a task that calls <see cref="Environment.Exit(int)"/> runs the exit handlers).
    /// </summary>
    protected internal virtual void FinishWorkAtProcessExit()
    {
    }

    /// <summary>
    /// For executor authors: Python joins its executors when the interpreter exits, so submitted
    /// work is not lost when a program ends without shutting them down. An executor that keeps the
    /// same promise calls this once it has work in flight, and <see cref="StopDrainingAtProcessExit"/>
    /// once torn down; if the process exits in between, <see cref="FinishWorkAtProcessExit"/> runs.
    /// </summary>
    protected void DrainAtProcessExit() => ProcessExitDrain.Register(this);

    /// <summary>Undoes <see cref="DrainAtProcessExit"/>: the executor has nothing left to finish.</summary>
    protected void StopDrainingAtProcessExit() => ProcessExitDrain.Unregister(this);

    /// <summary>
    /// Submits a call, keeping its <see cref="CancellationToken"/> arguments live: a cancel, before
    /// the call starts or while it runs, is passed on to the future. (A token canceled already is
    /// passed on at once; the executor's own checks, shutdown and the like, come first.)
    /// </summary>
    private Future<TResult> Schedule<TResult>(ExecutorCall<TResult> call)
    {
        var future = SubmitCall(call);
        if (call.TakesCancellationToken)
        {
            CallTokenWatch.Watch(call, future);
        }

        return future;
    }

    // Bridges for MapIterator: a protected member cannot be reached from another class directly.
    internal bool MapsInChunks => SupportsMapChunks;

    internal Future<TResult> SubmitForMap<TResult>(ExecutorCall<TResult> call) => SubmitCall(call);

    /// <summary>A Map item submitted on its own: its tokens are watched as a <c>Submit</c>'s are.</summary>
    internal Future<TResult> ScheduleForMap<TResult>(ExecutorCall<TResult> call) => Schedule(call);

    internal MapChunk<TResult> SubmitChunkForMap<TResult>(IReadOnlyList<ExecutorCall<TResult>> calls) =>
        SubmitMapChunk(calls);
}
