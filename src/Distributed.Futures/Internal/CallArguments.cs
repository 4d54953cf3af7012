namespace Distributed.Futures.Internal;

// Argument storage and introspection, once per arity. The Func and Action calls in
// ExecutorCalls.cs add only how to invoke. Arguments are stored unboxed so the thread pool pays no
// allocation for them.

internal static class CallArgument
{
    /// <summary>Sets an argument to <paramref name="token"/> if it is a CancellationToken; folded away for any other type.</summary>
    public static void Replace<T>(ref T argument, CancellationToken token)
    {
        if (typeof(T) == typeof(CancellationToken))
        {
            argument = System.Runtime.CompilerServices.Unsafe.As<CancellationToken, T>(ref token);
        }
    }
}

internal abstract class NoArgumentCall<TResult>(Delegate function) : ExecutorCall<TResult>(function)
{
    public override int ArgumentCount => 0;

    public override bool TakesCancellationToken => false;

    public override object? GetArgument(int index) => throw new ArgumentOutOfRangeException(nameof(index));

    internal override void ReplaceCancellationTokens(CancellationToken token)
    {
    }

    public override Type GetArgumentType(int index) => throw new ArgumentOutOfRangeException(nameof(index));
}

internal abstract class OneArgumentCall<T1, TResult>(Delegate function, T1 arg1) : ExecutorCall<TResult>(function)
{
    // Per closed type, so the JIT folds it: asked on every submit.
    private static readonly bool s_takesToken = typeof(T1) == typeof(CancellationToken);

    protected T1 Arg1 => arg1;

    public override int ArgumentCount => 1;

    internal override void ReplaceCancellationTokens(CancellationToken token)
    {
        CallArgument.Replace(ref arg1, token);
    }

    public override bool TakesCancellationToken => s_takesToken;

    public override object? GetArgument(int index) => index == 0 ? arg1 : throw new ArgumentOutOfRangeException(nameof(index));

    public override Type GetArgumentType(int index) => index == 0 ? typeof(T1) : throw new ArgumentOutOfRangeException(nameof(index));
}

internal abstract class TwoArgumentCall<T1, T2, TResult>(Delegate function, T1 arg1, T2 arg2) : ExecutorCall<TResult>(function)
{
    private static readonly bool s_takesToken = typeof(T1) == typeof(CancellationToken) || typeof(T2) == typeof(CancellationToken);

    protected T1 Arg1 => arg1;

    protected T2 Arg2 => arg2;

    public override int ArgumentCount => 2;

    internal override void ReplaceCancellationTokens(CancellationToken token)
    {
        CallArgument.Replace(ref arg1, token);
        CallArgument.Replace(ref arg2, token);
    }

    public override bool TakesCancellationToken => s_takesToken;

    public override object? GetArgument(int index) => index switch
    {
        0 => arg1,
        1 => arg2,
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    public override Type GetArgumentType(int index) => index switch
    {
        0 => typeof(T1),
        1 => typeof(T2),
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };
}

internal abstract class ThreeArgumentCall<T1, T2, T3, TResult>(Delegate function, T1 arg1, T2 arg2, T3 arg3) : ExecutorCall<TResult>(function)
{
    private static readonly bool s_takesToken =
        typeof(T1) == typeof(CancellationToken) || typeof(T2) == typeof(CancellationToken) || typeof(T3) == typeof(CancellationToken);

    protected T1 Arg1 => arg1;

    protected T2 Arg2 => arg2;

    protected T3 Arg3 => arg3;

    public override int ArgumentCount => 3;

    internal override void ReplaceCancellationTokens(CancellationToken token)
    {
        CallArgument.Replace(ref arg1, token);
        CallArgument.Replace(ref arg2, token);
        CallArgument.Replace(ref arg3, token);
    }

    public override bool TakesCancellationToken => s_takesToken;

    public override object? GetArgument(int index) => index switch
    {
        0 => arg1,
        1 => arg2,
        2 => arg3,
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    public override Type GetArgumentType(int index) => index switch
    {
        0 => typeof(T1),
        1 => typeof(T2),
        2 => typeof(T3),
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };
}
