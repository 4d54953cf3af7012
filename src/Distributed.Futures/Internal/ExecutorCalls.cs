namespace Distributed.Futures.Internal;

// The concrete calls, one per Submit overload; a call that returns nothing yields null.

internal sealed class FuncCall<TResult>(Func<TResult> function) : NoArgumentCall<TResult>(function)
{
    private readonly Func<TResult> _function = function;

    public override TResult Invoke() => _function();
}

internal sealed class FuncCall<T1, TResult>(Func<T1, TResult> function, T1 arg1) : OneArgumentCall<T1, TResult>(function, arg1)
{
    private readonly Func<T1, TResult> _function = function;

    public override TResult Invoke() => _function(Arg1);
}

internal sealed class FuncCall<T1, T2, TResult>(Func<T1, T2, TResult> function, T1 arg1, T2 arg2)
    : TwoArgumentCall<T1, T2, TResult>(function, arg1, arg2)
{
    private readonly Func<T1, T2, TResult> _function = function;

    public override TResult Invoke() => _function(Arg1, Arg2);
}

internal sealed class FuncCall<T1, T2, T3, TResult>(Func<T1, T2, T3, TResult> function, T1 arg1, T2 arg2, T3 arg3)
    : ThreeArgumentCall<T1, T2, T3, TResult>(function, arg1, arg2, arg3)
{
    private readonly Func<T1, T2, T3, TResult> _function = function;

    public override TResult Invoke() => _function(Arg1, Arg2, Arg3);
}

internal sealed class ActionCall(Action action) : NoArgumentCall<object?>(action)
{
    private readonly Action _action = action;

    public override object? Invoke()
    {
        _action();
        return null;
    }
}

internal sealed class ActionCall<T1>(Action<T1> action, T1 arg1) : OneArgumentCall<T1, object?>(action, arg1)
{
    private readonly Action<T1> _action = action;

    public override object? Invoke()
    {
        _action(Arg1);
        return null;
    }
}

internal sealed class ActionCall<T1, T2>(Action<T1, T2> action, T1 arg1, T2 arg2)
    : TwoArgumentCall<T1, T2, object?>(action, arg1, arg2)
{
    private readonly Action<T1, T2> _action = action;

    public override object? Invoke()
    {
        _action(Arg1, Arg2);
        return null;
    }
}

internal sealed class ActionCall<T1, T2, T3>(Action<T1, T2, T3> action, T1 arg1, T2 arg2, T3 arg3)
    : ThreeArgumentCall<T1, T2, T3, object?>(action, arg1, arg2, arg3)
{
    private readonly Action<T1, T2, T3> _action = action;

    public override object? Invoke()
    {
        _action(Arg1, Arg2, Arg3);
        return null;
    }
}
