namespace Distributed.Protocol;

/// <summary>A method a worker found and may run, with a compiled invoker (no MethodInfo.Invoke per call).</summary>
/// <param name="displayName">For messages: <c>Type.Method(Int32)</c>.</param>
/// <param name="parameterTypes">The declared parameter types, in order.</param>
/// <param name="returnType">The result type: the declared return type, or the awaited type of a method that returns a
/// task; <c>typeof(void)</c> for one that returns nothing.</param>
/// <param name="invoke">Calls the method with decoded arguments.</param>
/// <param name="awaiter">For a method that returns a task: turns what <paramref name="invoke"/> returned into the awaited value.</param>
public sealed class ResolvedFunction(string displayName, Type[] parameterTypes, Type returnType, Func<object?[], object?> invoke, Func<object?, ValueTask<object?>>? awaiter = null)
{
    /// <summary>For messages: <c>Type.Method(Int32)</c>.</summary>
    public string DisplayName { get; } = displayName;

    /// <summary>The declared parameter types, in order: decode each argument column with these.</summary>
    public IReadOnlyList<Type> ParameterTypes { get; } = parameterTypes;

    /// <summary>
    /// The positions of the method's <see cref="CancellationToken"/> parameters, where a worker puts
    /// a token of its own; null when it takes none (almost always). Found once, here.
    /// </summary>
    public IReadOnlyList<int>? TokenParameters { get; } = TokenPositions(parameterTypes);

    /// <summary>The type results are encoded as: the awaited type of a method that returns a task; <c>typeof(void)</c> for one that returns nothing (its result encodes as null).</summary>
    public Type ReturnType { get; } = returnType;

    /// <summary>True for a method that returns a task: its outcome is that of the awaited task (see <see cref="Await"/>).</summary>
    public bool IsAsync => awaiter is not null;

    /// <summary>For a method that returns a task: what <see cref="Invoke"/> returned, awaited; exceptions propagate unwrapped.</summary>
    public ValueTask<object?> Await(object? returned) =>
        awaiter is null ? new(returned) : awaiter(returned);

    /// <summary>Calls the method with decoded arguments; exceptions propagate unwrapped.</summary>
    public Func<object?[], object?> Invoke { get; } = invoke;

    private static int[]? TokenPositions(Type[] parameterTypes)
    {
        var positions = Enumerable.Range(0, parameterTypes.Length).Where(i => parameterTypes[i] == typeof(CancellationToken)).ToArray();
        return positions.Length == 0 ? null : positions;
    }
}
