namespace Distributed.Protocol;

/// <summary>A method a worker found and may run, with a compiled invoker (no MethodInfo.Invoke per call).</summary>
public sealed class ResolvedFunction(string displayName, Type[] parameterTypes, Type returnType, Func<object?[], object?> invoke)
{
    /// <summary>For messages: <c>Type.Method(Int32)</c>.</summary>
    public string DisplayName { get; } = displayName;

    public IReadOnlyList<Type> ParameterTypes { get; } = parameterTypes;

    /// <summary><c>typeof(void)</c> for a method that returns nothing (its result encodes as null).</summary>
    public Type ReturnType { get; } = returnType;

    /// <summary>Calls the method with decoded arguments; exceptions propagate unwrapped.</summary>
    public Func<object?[], object?> Invoke { get; } = invoke;
}
