using System.Reflection;

namespace Distributed.Protocol.Functions;

/// <summary>
/// Makes <c>args =&gt; method(args[0], args[1], ...)</c> once per method, on the runtime's
/// <see cref="MethodInvoker"/>: after its first calls it runs an emitted stub, so a call costs a
/// delegate call and the unboxing, not the general <c>MethodInfo.Invoke</c>, and exceptions the
/// method throws propagate unwrapped (no <see cref="TargetInvocationException"/>). Not a compiled
/// expression tree: compiling the first one costs a worker some 10 ms of its first call, on every
/// worker a pool starts.
/// </summary>
internal static class FunctionInvokers
{
    /// <param name="method">A closed method (not a generic definition).</param>
    /// <param name="target">The instance for an instance method (the lambda singleton); null for a static one.</param>
    public static Func<object?[], object?> For(MethodInfo method, object? target)
    {
        var invoker = MethodInvoker.Create(method);
        int count = method.GetParameters().Length;

        // A wrong argument count would otherwise surface as the runtime's TargetParameterCountException.
        string countMessage = $"{FunctionRules.DisplayName(method)} takes {count} arguments.";
        return args => args.Length == count
            ? invoker.Invoke(target, new Span<object?>(args))
            : throw new ArgumentException(countMessage, nameof(args));
    }
}
