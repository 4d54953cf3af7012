using System.Runtime.CompilerServices;
using Distributed.Futures.Internal;

namespace Distributed.Futures;

// Submit and Map for functions that return a task, beside the sync forms in Executor.cs. As with
// Task.Run, a method group or an async lambda binds here without a cast: Func<..., Task<TResult>>
// is more specific than Func<..., TResult>, so Submit(SquareAsync, 7) gives a Future<int>, not a
// Future<Task<int>>. An async lambda converts to Task and ValueTask alike, so the Task forms are
// preferred (OverloadResolutionPriority 1); a method returning a ValueTask binds to its own form.
// The future is Running until the awaited task ends, and its outcome is the awaited one.
public abstract partial class Executor
{
    /// <summary>Schedules the async <c>function()</c> and returns a future for its awaited result.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="function"/> is null.</exception>
    /// <exception cref="InvalidOperationException">The executor was shut down.</exception>
    /// <exception cref="BrokenExecutorException">The executor is broken.</exception>
    [OverloadResolutionPriority(1)]
    public Future<TResult> Submit<TResult>(Func<Task<TResult>> function)
    {
        ArgumentNullException.ThrowIfNull(function);
        return Schedule(new AsyncCall<TResult>(function));
    }

    /// <summary>Schedules the async <c>function()</c> and returns a future for its awaited result.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="function"/> is null.</exception>
    /// <exception cref="InvalidOperationException">The executor was shut down.</exception>
    /// <exception cref="BrokenExecutorException">The executor is broken.</exception>
    public Future<TResult> Submit<TResult>(Func<ValueTask<TResult>> function)
    {
        ArgumentNullException.ThrowIfNull(function);
        return Schedule(new AsyncCall<TResult>(function));
    }

    /// <summary>Schedules the async <c>function()</c>; the future's result is null once the task ends.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="function"/> is null.</exception>
    /// <exception cref="InvalidOperationException">The executor was shut down.</exception>
    /// <exception cref="BrokenExecutorException">The executor is broken.</exception>
    [OverloadResolutionPriority(1)]
    public Future Submit(Func<Task> function)
    {
        ArgumentNullException.ThrowIfNull(function);
        return Schedule(new AsyncCall<object?>(function));
    }

    /// <summary>Schedules the async <c>function()</c>; the future's result is null once the task ends.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="function"/> is null.</exception>
    /// <exception cref="InvalidOperationException">The executor was shut down.</exception>
    /// <exception cref="BrokenExecutorException">The executor is broken.</exception>
    public Future Submit(Func<ValueTask> function)
    {
        ArgumentNullException.ThrowIfNull(function);
        return Schedule(new AsyncCall<object?>(function));
    }

    /// <summary>Schedules the async <c>function(arg1)</c> and returns a future for its awaited result.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="function"/> is null.</exception>
    /// <exception cref="InvalidOperationException">The executor was shut down.</exception>
    /// <exception cref="BrokenExecutorException">The executor is broken.</exception>
    [OverloadResolutionPriority(1)]
    public Future<TResult> Submit<T1, TResult>(Func<T1, Task<TResult>> function, T1 arg1)
    {
        ArgumentNullException.ThrowIfNull(function);
        return Schedule(new AsyncCall<T1, TResult>(function, arg1));
    }

    /// <summary>Schedules the async <c>function(arg1)</c> and returns a future for its awaited result.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="function"/> is null.</exception>
    /// <exception cref="InvalidOperationException">The executor was shut down.</exception>
    /// <exception cref="BrokenExecutorException">The executor is broken.</exception>
    public Future<TResult> Submit<T1, TResult>(Func<T1, ValueTask<TResult>> function, T1 arg1)
    {
        ArgumentNullException.ThrowIfNull(function);
        return Schedule(new AsyncCall<T1, TResult>(function, arg1));
    }

    /// <summary>Schedules the async <c>function(arg1)</c>; the future's result is null once the task ends.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="function"/> is null.</exception>
    /// <exception cref="InvalidOperationException">The executor was shut down.</exception>
    /// <exception cref="BrokenExecutorException">The executor is broken.</exception>
    [OverloadResolutionPriority(1)]
    public Future Submit<T1>(Func<T1, Task> function, T1 arg1)
    {
        ArgumentNullException.ThrowIfNull(function);
        return Schedule(new AsyncCall<T1, object?>(function, arg1));
    }

    /// <summary>Schedules the async <c>function(arg1)</c>; the future's result is null once the task ends.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="function"/> is null.</exception>
    /// <exception cref="InvalidOperationException">The executor was shut down.</exception>
    /// <exception cref="BrokenExecutorException">The executor is broken.</exception>
    public Future Submit<T1>(Func<T1, ValueTask> function, T1 arg1)
    {
        ArgumentNullException.ThrowIfNull(function);
        return Schedule(new AsyncCall<T1, object?>(function, arg1));
    }

    /// <summary>Schedules the async <c>function(arg1, arg2)</c> and returns a future for its awaited result.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="function"/> is null.</exception>
    /// <exception cref="InvalidOperationException">The executor was shut down.</exception>
    /// <exception cref="BrokenExecutorException">The executor is broken.</exception>
    [OverloadResolutionPriority(1)]
    public Future<TResult> Submit<T1, T2, TResult>(Func<T1, T2, Task<TResult>> function, T1 arg1, T2 arg2)
    {
        ArgumentNullException.ThrowIfNull(function);
        return Schedule(new AsyncCall<T1, T2, TResult>(function, arg1, arg2));
    }

    /// <summary>Schedules the async <c>function(arg1, arg2)</c> and returns a future for its awaited result.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="function"/> is null.</exception>
    /// <exception cref="InvalidOperationException">The executor was shut down.</exception>
    /// <exception cref="BrokenExecutorException">The executor is broken.</exception>
    public Future<TResult> Submit<T1, T2, TResult>(Func<T1, T2, ValueTask<TResult>> function, T1 arg1, T2 arg2)
    {
        ArgumentNullException.ThrowIfNull(function);
        return Schedule(new AsyncCall<T1, T2, TResult>(function, arg1, arg2));
    }

    /// <summary>Schedules the async <c>function(arg1, arg2)</c>; the future's result is null once the task ends.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="function"/> is null.</exception>
    /// <exception cref="InvalidOperationException">The executor was shut down.</exception>
    /// <exception cref="BrokenExecutorException">The executor is broken.</exception>
    [OverloadResolutionPriority(1)]
    public Future Submit<T1, T2>(Func<T1, T2, Task> function, T1 arg1, T2 arg2)
    {
        ArgumentNullException.ThrowIfNull(function);
        return Schedule(new AsyncCall<T1, T2, object?>(function, arg1, arg2));
    }

    /// <summary>Schedules the async <c>function(arg1, arg2)</c>; the future's result is null once the task ends.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="function"/> is null.</exception>
    /// <exception cref="InvalidOperationException">The executor was shut down.</exception>
    /// <exception cref="BrokenExecutorException">The executor is broken.</exception>
    public Future Submit<T1, T2>(Func<T1, T2, ValueTask> function, T1 arg1, T2 arg2)
    {
        ArgumentNullException.ThrowIfNull(function);
        return Schedule(new AsyncCall<T1, T2, object?>(function, arg1, arg2));
    }

    /// <summary>Schedules the async <c>function(arg1, arg2, arg3)</c> and returns a future for its awaited result.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="function"/> is null.</exception>
    /// <exception cref="InvalidOperationException">The executor was shut down.</exception>
    /// <exception cref="BrokenExecutorException">The executor is broken.</exception>
    [OverloadResolutionPriority(1)]
    public Future<TResult> Submit<T1, T2, T3, TResult>(Func<T1, T2, T3, Task<TResult>> function, T1 arg1, T2 arg2, T3 arg3)
    {
        ArgumentNullException.ThrowIfNull(function);
        return Schedule(new AsyncCall<T1, T2, T3, TResult>(function, arg1, arg2, arg3));
    }

    /// <summary>Schedules the async <c>function(arg1, arg2, arg3)</c> and returns a future for its awaited result.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="function"/> is null.</exception>
    /// <exception cref="InvalidOperationException">The executor was shut down.</exception>
    /// <exception cref="BrokenExecutorException">The executor is broken.</exception>
    public Future<TResult> Submit<T1, T2, T3, TResult>(Func<T1, T2, T3, ValueTask<TResult>> function, T1 arg1, T2 arg2, T3 arg3)
    {
        ArgumentNullException.ThrowIfNull(function);
        return Schedule(new AsyncCall<T1, T2, T3, TResult>(function, arg1, arg2, arg3));
    }

    /// <summary>Schedules the async <c>function(arg1, arg2, arg3)</c>; the future's result is null once the task ends.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="function"/> is null.</exception>
    /// <exception cref="InvalidOperationException">The executor was shut down.</exception>
    /// <exception cref="BrokenExecutorException">The executor is broken.</exception>
    [OverloadResolutionPriority(1)]
    public Future Submit<T1, T2, T3>(Func<T1, T2, T3, Task> function, T1 arg1, T2 arg2, T3 arg3)
    {
        ArgumentNullException.ThrowIfNull(function);
        return Schedule(new AsyncCall<T1, T2, T3, object?>(function, arg1, arg2, arg3));
    }

    /// <summary>Schedules the async <c>function(arg1, arg2, arg3)</c>; the future's result is null once the task ends.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="function"/> is null.</exception>
    /// <exception cref="InvalidOperationException">The executor was shut down.</exception>
    /// <exception cref="BrokenExecutorException">The executor is broken.</exception>
    public Future Submit<T1, T2, T3>(Func<T1, T2, T3, ValueTask> function, T1 arg1, T2 arg2, T3 arg3)
    {
        ArgumentNullException.ThrowIfNull(function);
        return Schedule(new AsyncCall<T1, T2, T3, object?>(function, arg1, arg2, arg3));
    }

    /// <summary>
    /// Applies the async <paramref name="function"/> to every item and yields the awaited results in
    /// input order; otherwise as <see cref="Map{T, TResult}(Func{T, TResult}, IEnumerable{T}, TimeSpan?, int, int?)"/>.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="function"/> or <paramref name="items"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="chunkSize"/> is below 1 or <paramref name="bufferSize"/> is not positive.</exception>
    /// <exception cref="InvalidOperationException">The executor was shut down.</exception>
    [OverloadResolutionPriority(1)]
    public IEnumerable<TResult> Map<T, TResult>(
        Func<T, Task<TResult>> function,
        IEnumerable<T> items,
        TimeSpan? timeout = null,
        int chunkSize = 1,
        int? bufferSize = null)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(items);
        return MapIterator<T, TResult>.Start(
            this, items, item => new AsyncCall<T, TResult>(function, item), timeout, chunkSize, bufferSize);
    }

    /// <summary>
    /// Applies the async <paramref name="function"/> to pairs of items taken from both sequences,
    /// stopping at the shorter one, and yields the awaited results in input order.
    /// </summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="chunkSize"/> is below 1 or <paramref name="bufferSize"/> is not positive.</exception>
    /// <exception cref="InvalidOperationException">The executor was shut down.</exception>
    [OverloadResolutionPriority(1)]
    public IEnumerable<TResult> Map<T1, T2, TResult>(
        Func<T1, T2, Task<TResult>> function,
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
            pair => new AsyncCall<T1, T2, TResult>(function, pair.Item1, pair.Item2),
            timeout,
            chunkSize,
            bufferSize,
            MapInputs.ZippedCount(items1, items2, bufferSize));
    }

    /// <summary>
    /// Applies the async <paramref name="function"/> to every item and yields the awaited results in
    /// input order; otherwise as <see cref="Map{T, TResult}(Func{T, TResult}, IEnumerable{T}, TimeSpan?, int, int?)"/>.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="function"/> or <paramref name="items"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="chunkSize"/> is below 1 or <paramref name="bufferSize"/> is not positive.</exception>
    /// <exception cref="InvalidOperationException">The executor was shut down.</exception>
    public IEnumerable<TResult> Map<T, TResult>(
        Func<T, ValueTask<TResult>> function,
        IEnumerable<T> items,
        TimeSpan? timeout = null,
        int chunkSize = 1,
        int? bufferSize = null)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(items);
        return MapIterator<T, TResult>.Start(
            this, items, item => new AsyncCall<T, TResult>(function, item), timeout, chunkSize, bufferSize);
    }

    /// <summary>
    /// Applies the async <paramref name="function"/> to pairs of items taken from both sequences,
    /// stopping at the shorter one, and yields the awaited results in input order.
    /// </summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="chunkSize"/> is below 1 or <paramref name="bufferSize"/> is not positive.</exception>
    /// <exception cref="InvalidOperationException">The executor was shut down.</exception>
    public IEnumerable<TResult> Map<T1, T2, TResult>(
        Func<T1, T2, ValueTask<TResult>> function,
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
            pair => new AsyncCall<T1, T2, TResult>(function, pair.Item1, pair.Item2),
            timeout,
            chunkSize,
            bufferSize,
            MapInputs.ZippedCount(items1, items2, bufferSize));
    }
}
