using System.Reflection;
using System.Runtime.CompilerServices;

namespace Distributed.Protocol.Functions;

/// <summary>
/// Which methods may cross a process boundary, shared by the client (<see cref="FunctionIdentity"/>)
/// and the worker (<see cref="FunctionResolver"/>), so a handcrafted reference cannot reach a method
/// the client would have refused to send.
/// </summary>
internal static class FunctionRules
{
    /// <summary>The static field that holds the compiler's lambda singleton.</summary>
    public const string SingletonField = "<>9";

    /// <summary>The kind of <paramref name="method"/>, or the reason it may not be sent, phrased to follow "the function X ...".</summary>
    public static (FunctionKind Kind, string? Rejection) Classify(MethodInfo method)
    {
        if (method.DeclaringType is not { } type)
        {
            return Reject("is a dynamic method (it has no declaring type, so no other process can find it)");
        }

        if (IsDisplayClass(type))
        {
            return Reject($"captures state (it is a closure over {TypeNames.Display(type)}); use a static method or a lambda that captures nothing");
        }

        var parameters = method.GetParameters();
        if (parameters.FirstOrDefault(p => IsDisplayClass(ElementOf(p.ParameterType))) is { } captured)
        {
            return Reject($"captures state (it is a local function that uses the variables of its enclosing method through {TypeNames.Display(ElementOf(captured.ParameterType))})");
        }

        if (type.IsGenericType || type.ContainsGenericParameters)
        {
            return Reject($"is declared in a generic type ({TypeNames.Display(type)}), which another process cannot close");
        }

        if (parameters.Any(p => IsUnsendable(p.ParameterType)) || IsUnsendable(method.ReturnType))
        {
            return Reject("has a ref, out, in, pointer or ref struct parameter or result, which cannot cross a process boundary");
        }

        bool generated = IsCompilerGenerated(method);
        if (!method.IsStatic)
        {
            if (generated && IsLambdaSingletonClass(type))
            {
                return (FunctionKind.LambdaSingleton, null);
            }

            return generated
                ? Reject($"captures state (it uses 'this' of {TypeNames.Display(type)})")
                : Reject($"is an instance method of {TypeNames.Display(type)}; only static methods can be sent");
        }

        if (generated)
        {
            return (FunctionKind.GeneratedStatic, null);
        }

        if (!method.IsPublic)
        {
            return Reject("is not public; only public static methods can be sent");
        }

        return type.IsVisible
            ? (FunctionKind.PublicStatic, null)
            : Reject($"is not public: its declaring type {TypeNames.Display(type)} is not visible outside its assembly");
    }

    /// <summary>For messages: <c>Type.Method</c>.</summary>
    public static string DisplayName(MethodInfo method) =>
        method.DeclaringType is { } type ? $"{TypeNames.Display(type)}.{method.Name}" : method.Name;

    /// <summary>For messages: <c>Type.Method(Int32, String)</c>.</summary>
    public static string DisplayNameWithParameters(MethodInfo method) =>
        $"{DisplayName(method)}({string.Join(", ", method.GetParameters().Select(p => TypeNames.Display(p.ParameterType)))})";

    /// <summary>The compiler's <c>&lt;&gt;c</c> singleton of <paramref name="type"/>, if it has one.</summary>
    public static object? LambdaSingleton(Type type) =>
        type.GetField(SingletonField, BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic)?.GetValue(null);

    private static (FunctionKind, string?) Reject(string reason) => (default, reason);

    // Names with '<' cannot be written in C#: only the compiler makes them (lambdas "<M>b__0_0",
    // local functions "<M>g__Local|0_0", the classes "<>c" and "<>c__DisplayClass0_0").
    private static bool IsCompilerGenerated(MethodInfo method) => method.Name.StartsWith('<');

    private static bool IsLambdaSingletonClass(Type type) =>
        type.Name == "<>c" && type.IsNested && type.IsDefined(typeof(CompilerGeneratedAttribute), inherit: false);

    private static bool IsDisplayClass(Type type) =>
        type.Name.StartsWith("<>c__DisplayClass", StringComparison.Ordinal)
        || (type.Name.Contains("DisplayClass", StringComparison.Ordinal) && type.IsDefined(typeof(CompilerGeneratedAttribute), inherit: false));

    private static Type ElementOf(Type type) => type.IsByRef ? type.GetElementType()! : type;

    private static bool IsUnsendable(Type type) => type.IsByRef || type.IsPointer || type.IsFunctionPointer || type.IsByRefLike;
}
