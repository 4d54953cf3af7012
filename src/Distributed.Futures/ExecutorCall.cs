namespace Distributed.Futures;

/// <summary>
/// One submitted call: the function and its arguments, kept apart so that an executor can either
/// invoke it in this process or send the method's identity and the argument values to another.
/// <see cref="Executor"/> builds these from <c>Submit</c> and <c>Map</c>; executors consume them.
/// </summary>
/// <typeparam name="TResult">The result type; <see cref="object"/> (always null) for a call that returns nothing.</typeparam>
public abstract class ExecutorCall<TResult>
{
    private protected ExecutorCall(Delegate function)
    {
        Function = function;
    }

    /// <summary>The function as submitted.</summary>
    public Delegate Function { get; }

    /// <summary>How many arguments the call passes (0 to 3).</summary>
    public abstract int ArgumentCount { get; }

    /// <summary>The argument at <paramref name="index"/>, boxed.</summary>
    public abstract object? GetArgument(int index);

    /// <summary>The static type of the argument at <paramref name="index"/> (the delegate's parameter type).</summary>
    public abstract Type GetArgumentType(int index);

    /// <summary>Runs the call on the current thread.</summary>
    public abstract TResult Invoke();
}
