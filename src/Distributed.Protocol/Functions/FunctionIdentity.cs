using System.Collections.Concurrent;
using System.Reflection;
using Distributed.Protocol.Functions;
using Distributed.Protocol.V1;

namespace Distributed.Protocol;

/// <summary>
/// Describes a submitted function so another process can find it by name. Only a public static
/// method, or a lambda or local function that captures nothing, can be described; anything else is
/// an <see cref="ArgumentException"/> that names the method and says why. Descriptions are cached
/// per method.
/// </summary>
public static class FunctionIdentity
{
    private static readonly ConcurrentDictionary<MethodInfo, Description> s_descriptions = new();
    private static readonly ConcurrentDictionary<MethodInfo, (Type[] Parameters, Type Return)> s_signatures = new();

    /// <summary>The name-based identity of <paramref name="function"/>'s method.</summary>
    /// <param name="function">The function to send.</param>
    /// <returns>A description shared by every call for the same method: do not modify it.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="function"/> is null.</exception>
    /// <exception cref="ArgumentException">The function captures state, is not public, or cannot be found by name.</exception>
    public static FunctionRef Describe(Delegate function)
    {
        ArgumentNullException.ThrowIfNull(function);
        var method = function.Method;
        if (!function.HasSingleTarget)
        {
            throw Rejected(method, $"is a multicast delegate ({function.GetInvocationList().Length} methods combined); submit a single method", nameof(function));
        }

        var description = s_descriptions.GetOrAdd(method, Create);
        if (description.Rejection is { } rejection)
        {
            throw Rejected(method, rejection, nameof(function));
        }

        // The kind depends on the method alone, but a delegate can still bind a target to it: an
        // extension method called on a value, or a lambda method bound to another instance.
        if (description.Kind == FunctionKind.LambdaSingleton)
        {
            if (!ReferenceEquals(function.Target, description.Singleton))
            {
                throw Rejected(method, "captures state (it is bound to an object other than the compiler's lambda singleton)", nameof(function));
            }
        }
        else if (function.Target is { } target)
        {
            throw Rejected(method, $"captures state (it is bound to a first argument of type {TypeNames.Display(target.GetType())})", nameof(function));
        }

        return description.Reference!;
    }

    /// <summary>The parameter types and return type the wire uses for <paramref name="function"/>'s method.</summary>
    /// <param name="function">The function.</param>
    /// <returns>The parameter types in order, and the result type: the return type, or the awaited type of a method
    /// that returns a task (<c>typeof(void)</c> for one that returns nothing, or a task without a result).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="function"/> is null.</exception>
    public static (Type[] ParameterTypes, Type ReturnType) Signature(Delegate function)
    {
        ArgumentNullException.ThrowIfNull(function);
        var (parameters, returnType) = s_signatures.GetOrAdd(
            function.Method,
            static method => (method.GetParameters().Select(p => p.ParameterType).ToArray(), TaskShapes.WireResultType(method.ReturnType)));

        // A copy, so a caller cannot change the cached signature.
        return ((Type[])parameters.Clone(), returnType);
    }

    private static Description Create(MethodInfo method)
    {
        var (kind, rejection) = FunctionRules.Classify(method);
        if (rejection is not null)
        {
            return new Description(null, kind, null, rejection);
        }

        var type = method.DeclaringType!;
        object? singleton = null;
        if (kind == FunctionKind.LambdaSingleton && (singleton = FunctionRules.LambdaSingleton(type)) is null)
        {
            return new Description(null, kind, null, $"is a lambda whose class {TypeNames.Display(type)} has no {FunctionRules.SingletonField} singleton field");
        }

        var definition = method.IsGenericMethod ? method.GetGenericMethodDefinition() : method;
        var reference = new FunctionRef
        {
            AssemblyName = type.Assembly.GetName().Name ?? string.Empty,
            AssemblyPath = type.Assembly.Location,
            TypeName = type.FullName ?? type.Name,
            MethodName = method.Name,
            Signature = definition.ToString() ?? method.Name,
            OnLambdaSingleton = kind == FunctionKind.LambdaSingleton,
        };
        foreach (var argument in method.GetGenericArguments())
        {
            if (argument.AssemblyQualifiedName is not { } name)
            {
                return new Description(null, kind, null, $"is generic over {TypeNames.Display(argument)}, which has no assembly-qualified name");
            }

            reference.GenericArguments.Add(name);
        }

        return new Description(reference, kind, singleton, null);
    }

    private static ArgumentException Rejected(MethodInfo method, string reason, string paramName) =>
        new($"The function {FunctionRules.DisplayName(method)} cannot be sent to another process: it {reason}.", paramName);

    private sealed record Description(FunctionRef? Reference, FunctionKind Kind, object? Singleton, string? Rejection);
}
