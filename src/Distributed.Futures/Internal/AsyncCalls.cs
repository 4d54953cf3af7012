namespace Distributed.Futures.Internal;

// The calls of functions that return a task, one per arity. Each holds the function as submitted
// (its identity is what a process pool sends) and awaits whichever of the four task shapes it
// returns; a function returning Task or ValueTask yields null, as an Action does.

internal sealed class AsyncCall<TResult>(Delegate function) : NoArgumentCall<TResult>(function)
{
    public override bool IsAsync => true;

    public override TResult Invoke() => AwaitedOutcome.Block(InvokeAsync());

    public override ValueTask<TResult> InvokeAsync() => Function switch
    {
        Func<Task<TResult>> f => AwaitedOutcome.Of(f()),
        Func<ValueTask<TResult>> f => f(),
        Func<Task> f => AwaitedOutcome.Of<TResult>(f()),
        Func<ValueTask> f => AwaitedOutcome.Of<TResult>(f()),
        _ => throw AwaitedOutcome.NotAsync(Function),
    };
}

internal sealed class AsyncCall<T1, TResult>(Delegate function, T1 arg1) : OneArgumentCall<T1, TResult>(function, arg1)
{
    public override bool IsAsync => true;

    public override TResult Invoke() => AwaitedOutcome.Block(InvokeAsync());

    public override ValueTask<TResult> InvokeAsync() => Function switch
    {
        Func<T1, Task<TResult>> f => AwaitedOutcome.Of(f(Arg1)),
        Func<T1, ValueTask<TResult>> f => f(Arg1),
        Func<T1, Task> f => AwaitedOutcome.Of<TResult>(f(Arg1)),
        Func<T1, ValueTask> f => AwaitedOutcome.Of<TResult>(f(Arg1)),
        _ => throw AwaitedOutcome.NotAsync(Function),
    };
}

internal sealed class AsyncCall<T1, T2, TResult>(Delegate function, T1 arg1, T2 arg2) : TwoArgumentCall<T1, T2, TResult>(function, arg1, arg2)
{
    public override bool IsAsync => true;

    public override TResult Invoke() => AwaitedOutcome.Block(InvokeAsync());

    public override ValueTask<TResult> InvokeAsync() => Function switch
    {
        Func<T1, T2, Task<TResult>> f => AwaitedOutcome.Of(f(Arg1, Arg2)),
        Func<T1, T2, ValueTask<TResult>> f => f(Arg1, Arg2),
        Func<T1, T2, Task> f => AwaitedOutcome.Of<TResult>(f(Arg1, Arg2)),
        Func<T1, T2, ValueTask> f => AwaitedOutcome.Of<TResult>(f(Arg1, Arg2)),
        _ => throw AwaitedOutcome.NotAsync(Function),
    };
}

internal sealed class AsyncCall<T1, T2, T3, TResult>(Delegate function, T1 arg1, T2 arg2, T3 arg3)
    : ThreeArgumentCall<T1, T2, T3, TResult>(function, arg1, arg2, arg3)
{
    public override bool IsAsync => true;

    public override TResult Invoke() => AwaitedOutcome.Block(InvokeAsync());

    public override ValueTask<TResult> InvokeAsync() => Function switch
    {
        Func<T1, T2, T3, Task<TResult>> f => AwaitedOutcome.Of(f(Arg1, Arg2, Arg3)),
        Func<T1, T2, T3, ValueTask<TResult>> f => f(Arg1, Arg2, Arg3),
        Func<T1, T2, T3, Task> f => AwaitedOutcome.Of<TResult>(f(Arg1, Arg2, Arg3)),
        Func<T1, T2, T3, ValueTask> f => AwaitedOutcome.Of<TResult>(f(Arg1, Arg2, Arg3)),
        _ => throw AwaitedOutcome.NotAsync(Function),
    };
}
