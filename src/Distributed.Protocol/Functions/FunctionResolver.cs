using Distributed.Protocol.V1;

namespace Distributed.Protocol;

/// <summary>Worker side: finds the method a <see cref="FunctionRef"/> names within the task assemblies and compiles an invoker for it. Caches per reference.</summary>
public sealed class FunctionResolver
{
    public FunctionResolver(TaskAssemblies assemblies) => throw new NotImplementedException();

    /// <exception cref="FunctionResolutionException">The method is not in a task assembly, does not exist, or does not match the signature.</exception>
    public ResolvedFunction Resolve(FunctionRef function) => throw new NotImplementedException();
}
