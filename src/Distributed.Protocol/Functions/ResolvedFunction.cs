namespace Distributed.Protocol;

/// <summary>A method a worker found and may run, with a compiled invoker (no MethodInfo.Invoke per call).</summary>
/// <param name="displayName">For messages: <c>Type.Method(Int32)</c>.</param>
/// <param name="parameterTypes">The declared parameter types, in order.</param>
/// <param name="returnType">The declared return type; <c>typeof(void)</c> for a method that returns nothing.</param>
/// <param name="invoke">Calls the method with decoded arguments.</param>
public sealed class ResolvedFunction(string displayName, Type[] parameterTypes, Type returnType, Func<object?[], object?> invoke)
{
    /// <summary>For messages: <c>Type.Method(Int32)</c>.</summary>
    public string DisplayName { get; } = displayName;

    /// <summary>The declared parameter types, in order: decode each argument column with these.</summary>
    public IReadOnlyList<Type> ParameterTypes { get; } = parameterTypes;

    /// <summary><c>typeof(void)</c> for a method that returns nothing (its result encodes as null).</summary>
    public Type ReturnType { get; } = returnType;

    /// <summary>Calls the method with decoded arguments; exceptions propagate unwrapped.</summary>
    public Func<object?[], object?> Invoke { get; } = invoke;
}
