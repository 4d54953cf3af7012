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

    /// <summary>
    /// How the call is to run: its timeout, retries and priority, as the executor view it was
    /// submitted through set them (see <see cref="Executor.With"/>); <see cref="TaskOptions.Default"/> otherwise.
    /// </summary>
    public TaskOptions Options { get; internal set; } = TaskOptions.Default;

    /// <summary>How many arguments the call passes (0 to 3).</summary>
    public abstract int ArgumentCount { get; }

    /// <summary>The argument at <paramref name="index"/>, boxed.</summary>
    public abstract object? GetArgument(int index);

    /// <summary>The static type of the argument at <paramref name="index"/> (the delegate's parameter type).</summary>
    public abstract Type GetArgumentType(int index);

    /// <summary>
    /// True if the function takes a <see cref="CancellationToken"/>: the token the caller passed is
    /// live wherever the call runs (see <see cref="CancellationTokens"/>), not a value to copy.
    /// </summary>
    /// <remarks>Known per closed call type, so asking it on every submit costs nothing.</remarks>
    public abstract bool TakesCancellationToken { get; }

    /// <summary>The <see cref="CancellationToken"/> arguments, in order (none for most calls).</summary>
    public IEnumerable<CancellationToken> CancellationTokens
    {
        get
        {
            for (int i = 0; i < ArgumentCount; i++)
            {
                if (GetArgumentType(i) == typeof(CancellationToken))
                {
                    yield return (CancellationToken)GetArgument(i)!;
                }
            }
        }
    }

    /// <summary>
    /// True once one of the call's tokens was canceled: an <see cref="OperationCanceledException"/>
    /// the call throws then ends its future canceled, not failed.
    /// </summary>
    public bool IsCancellationRequested => CancellationTokens.Any(token => token.IsCancellationRequested);

    /// <summary>
    /// True if the function returns a <see cref="Task"/>, <see cref="Task{TResult}"/>,
    /// <see cref="ValueTask"/> or <see cref="ValueTask{TResult}"/>: its outcome is that of the awaited
    /// task, which <see cref="InvokeAsync"/> gives without blocking.
    /// </summary>
    public virtual bool IsAsync => false;

    /// <summary>
    /// Runs the call on the current thread. For an <see cref="IsAsync"/> call this blocks until the
    /// awaited task ends; an executor that can wait without a thread uses <see cref="InvokeAsync"/>.
    /// </summary>
    public abstract TResult Invoke();

    /// <summary>
    /// Runs the call: a sync call on the current thread, an async one up to its first incomplete
    /// <c>await</c>, after which it goes on wherever its awaits resume. The outcome is the awaited
    /// one: its result, or the exception it threw, before or after an <c>await</c>.
    /// </summary>
    public virtual ValueTask<TResult> InvokeAsync() => new(Invoke());

    /// <summary>
    /// Passes <paramref name="token"/> for every <see cref="CancellationToken"/> parameter from now
    /// on: the thread pool gives a task with a timeout a token that its deadline signals as well as
    /// the caller's tokens.
    /// </summary>
    internal abstract void ReplaceCancellationTokens(CancellationToken token);
}
