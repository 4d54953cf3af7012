using System.Collections.Concurrent;
using Distributed.Protocol;
using Distributed.Protocol.V1;

namespace Distributed.Worker;

/// <summary>
/// The functions the coordinator has named on this connection, by number. Each is resolved once,
/// on first use, on the slot thread that needs it (resolving may load an assembly).
/// </summary>
internal sealed class FunctionTable(FunctionResolver resolver)
{
    private readonly ConcurrentDictionary<uint, Lazy<Resolution>> _functions = new();

    public void Define(FunctionDefinition definition)
    {
        var function = definition.Function;
        _functions[definition.FunctionId] = new Lazy<Resolution>(() => Resolve(function));
    }

    public Resolution Get(uint functionId) =>
        _functions.TryGetValue(functionId, out var resolution)
            ? resolution.Value
            : new Resolution(null, new FunctionResolutionException($"Function {functionId} was never defined on this connection."));

    /// <summary>Resolves a function outside the table, such as the initializer.</summary>
    public Resolution Resolve(FunctionRef function)
    {
        // The name the client and the coordinator give it too, so all three spans of a call read alike.
        string name = $"{function.TypeName}.{function.MethodName}";
        try
        {
            return new Resolution(resolver.Resolve(function), null, name);
        }
        catch (FunctionResolutionException error)
        {
            return new Resolution(null, error, name);
        }
    }

    /// <summary>A function found and compiled, or why it could not be.</summary>
    internal sealed record Resolution(ResolvedFunction? Function, Exception? Error, string Name = "the task");
}
