using System.Linq.Expressions;
using System.Reflection;

namespace Distributed.Protocol.Functions;

/// <summary>
/// Compiles <c>args =&gt; (object)method((T0)args[0], (T1)args[1], ...)</c> once per method, so a
/// call costs a delegate call and the unboxing, not <c>MethodInfo.Invoke</c>. Exceptions the
/// method throws propagate unwrapped (no <see cref="TargetInvocationException"/>).
/// </summary>
internal static class InvokerCompiler
{
    private static readonly ConstructorInfo s_argumentException =
        typeof(ArgumentException).GetConstructor([typeof(string), typeof(string)])!;

    /// <param name="method">A closed method (not a generic definition).</param>
    /// <param name="target">The instance for an instance method (the lambda singleton); null for a static one.</param>
    public static Func<object?[], object?> Compile(MethodInfo method, object? target)
    {
        var args = Expression.Parameter(typeof(object?[]), "args");
        var parameters = method.GetParameters();
        var arguments = new Expression[parameters.Length];
        for (int i = 0; i < parameters.Length; i++)
        {
            arguments[i] = Expression.Convert(Expression.ArrayIndex(args, Expression.Constant(i)), parameters[i].ParameterType);
        }

        Expression call = method.IsStatic
            ? Expression.Call(method, arguments)
            : Expression.Call(Expression.Constant(target, method.DeclaringType!), method, arguments);
        Expression result = method.ReturnType == typeof(void)
            ? Expression.Block(call, Expression.Constant(null, typeof(object)))
            : Expression.Convert(call, typeof(object));

        // A wrong argument count would otherwise surface as an IndexOutOfRangeException from inside the call.
        string countMessage = $"{FunctionRules.DisplayName(method)} takes {parameters.Length} arguments.";
        var checkCount = Expression.IfThen(
            Expression.NotEqual(Expression.ArrayLength(args), Expression.Constant(parameters.Length)),
            Expression.Throw(Expression.New(s_argumentException, Expression.Constant(countMessage), Expression.Constant(args.Name))));

        return Expression.Lambda<Func<object?[], object?>>(Expression.Block(checkCount, result), args).Compile();
    }
}
