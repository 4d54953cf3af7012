using System.Collections.Concurrent;
using System.Reflection;
using Distributed.Protocol.Functions;
using Distributed.Protocol.V1;

namespace Distributed.Protocol;

/// <summary>Worker side: finds the method a <see cref="FunctionRef"/> names within the task assemblies and compiles an invoker for it. Caches per reference.</summary>
/// <remarks>Thread-safe.</remarks>
public sealed class FunctionResolver
{
    private const BindingFlags DeclaredMethods =
        BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly;

    private readonly TaskAssemblies _assemblies;
    private readonly ConcurrentDictionary<string, ResolvedFunction> _resolved = new(StringComparer.Ordinal);

    /// <summary>Creates a resolver over <paramref name="assemblies"/>.</summary>
    /// <param name="assemblies">The worker's allow-list.</param>
    /// <exception cref="ArgumentNullException"><paramref name="assemblies"/> is null.</exception>
    public FunctionResolver(TaskAssemblies assemblies)
    {
        ArgumentNullException.ThrowIfNull(assemblies);
        _assemblies = assemblies;
    }

    /// <summary>Finds the method <paramref name="function"/> names and makes it callable.</summary>
    /// <param name="function">The reference a call carries.</param>
    /// <exception cref="ArgumentNullException"><paramref name="function"/> is null.</exception>
    /// <exception cref="FunctionResolutionException">The method is not in a task assembly, does not exist, or does not match the signature.</exception>
    public ResolvedFunction Resolve(FunctionRef function)
    {
        ArgumentNullException.ThrowIfNull(function);
        string key = Key(function);
        if (_resolved.TryGetValue(key, out var resolved))
        {
            return resolved;
        }

        // Failures are not cached: a later Add may make the same reference resolvable.
        return _resolved.GetOrAdd(key, ResolveCore(function));
    }

    // The path is left out: it says where the assembly came from, not which method runs.
    private static string Key(FunctionRef function) =>
        string.Join(
            '\n',
            function.AssemblyName,
            function.TypeName,
            function.MethodName,
            function.Signature,
            string.Join('\t', function.GenericArguments),
            function.OnLambdaSingleton ? "singleton" : "static");

    private ResolvedFunction ResolveCore(FunctionRef function)
    {
        var assembly = _assemblies.Find(function);
        var type = FindType(assembly, function);
        var method = FindMethod(type, function);
        var target = CheckRules(method, function);
        method = Close(method, function);
        Func<object?[], object?> invoke;
        try
        {
            invoke = FunctionInvokers.For(method, target);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or NotSupportedException)
        {
            throw new FunctionResolutionException($"Cannot compile a call to {FunctionRules.DisplayNameWithParameters(method)}: {e.Message}", e);
        }

        return new ResolvedFunction(
            FunctionRules.DisplayNameWithParameters(method),
            method.GetParameters().Select(p => p.ParameterType).ToArray(),
            TaskShapes.WireResultType(method.ReturnType),
            invoke,
            TaskShapes.Awaiter(method.ReturnType));
    }

    private static Type FindType(Assembly assembly, FunctionRef function)
    {
        Type? type;
        try
        {
            type = function.TypeName.Length == 0 ? null : assembly.GetType(function.TypeName, throwOnError: false);
        }
        catch (Exception e) when (e is ArgumentException or IOException or BadImageFormatException or TypeLoadException)
        {
            throw new FunctionResolutionException($"Cannot load type '{function.TypeName}' from task assembly '{function.AssemblyName}': {e.Message}", e);
        }

        if (type is null)
        {
            throw new FunctionResolutionException($"Task assembly '{function.AssemblyName}' has no type '{function.TypeName}'.");
        }

        // A type forwarder would hand out a type of another (possibly framework) assembly.
        if (type.Assembly != assembly)
        {
            throw new FunctionResolutionException(
                $"Type '{function.TypeName}' is forwarded from task assembly '{function.AssemblyName}' to '{type.Assembly.GetName().Name}', which is not a task assembly.");
        }

        return type;
    }

    private static MethodInfo FindMethod(Type type, FunctionRef function)
    {
        var named = type.GetMethods(DeclaredMethods).Where(m => m.Name == function.MethodName).ToList();
        if (named.Count == 0)
        {
            throw new FunctionResolutionException($"Type '{function.TypeName}' in task assembly '{function.AssemblyName}' has no method named '{function.MethodName}'.");
        }

        return named.Find(m => m.ToString() == function.Signature)
            ?? throw new FunctionResolutionException(
                $"Type '{function.TypeName}' in task assembly '{function.AssemblyName}' has no method '{function.MethodName}' with signature '{function.Signature}'; "
                + $"it has: {string.Join("; ", named.Select(m => m.ToString()))}.");
    }

    /// <summary>Applies the rules <see cref="FunctionIdentity"/> applies, so a handcrafted reference reaches nothing more; returns the target instance, if any.</summary>
    private static object? CheckRules(MethodInfo method, FunctionRef function)
    {
        var (kind, rejection) = FunctionRules.Classify(method);
        if (rejection is not null)
        {
            throw new FunctionResolutionException($"The worker may not run {FunctionRules.DisplayName(method)}: it {rejection}.");
        }

        bool isSingleton = kind == FunctionKind.LambdaSingleton;
        if (isSingleton != function.OnLambdaSingleton)
        {
            throw new FunctionResolutionException(isSingleton
                ? $"{FunctionRules.DisplayName(method)} is a lambda on the compiler's singleton, but the reference does not say on_lambda_singleton."
                : $"{FunctionRules.DisplayName(method)} is a static method, but the reference says on_lambda_singleton.");
        }

        if (!isSingleton)
        {
            return null;
        }

        return FunctionRules.LambdaSingleton(method.DeclaringType!)
            ?? throw new FunctionResolutionException($"Type '{function.TypeName}' has no {FunctionRules.SingletonField} singleton field for the lambda {function.MethodName}.");
    }

    private static MethodInfo Close(MethodInfo method, FunctionRef function)
    {
        int expected = method.IsGenericMethodDefinition ? method.GetGenericArguments().Length : 0;
        if (function.GenericArguments.Count != expected)
        {
            throw new FunctionResolutionException(
                $"{FunctionRules.DisplayName(method)} takes {expected} type arguments, but the reference has {function.GenericArguments.Count}.");
        }

        if (expected == 0)
        {
            return method;
        }

        var arguments = function.GenericArguments.Select(ResolveTypeArgument).ToArray();
        try
        {
            return method.MakeGenericMethod(arguments);
        }
        catch (ArgumentException e)
        {
            throw new FunctionResolutionException($"Cannot close {FunctionRules.DisplayName(method)} over {string.Join(", ", arguments.Select(TypeNames.Display))}: {e.Message}", e);
        }
    }

    // Type arguments may be framework types (List<int>): only the method itself must come from a task assembly.
    private static Type ResolveTypeArgument(string name)
    {
        try
        {
            return Type.GetType(name, throwOnError: false)
                ?? throw new FunctionResolutionException($"The type argument '{name}' cannot be found on this worker.");
        }
        catch (Exception e) when (e is ArgumentException or IOException or BadImageFormatException or TypeLoadException)
        {
            throw new FunctionResolutionException($"The type argument '{name}' cannot be loaded on this worker: {e.Message}", e);
        }
    }
}
