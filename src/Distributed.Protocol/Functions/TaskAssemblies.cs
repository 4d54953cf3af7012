using System.Reflection;
using Distributed.Protocol.V1;

namespace Distributed.Protocol;

/// <summary>
/// The worker's allow-list: the assemblies whose methods it may run. Framework assemblies are never
/// task assemblies. Assemblies load into the default context, their dependencies resolving from
/// beside them.
/// </summary>
public sealed class TaskAssemblies
{
    /// <param name="acceptPathsFromCoordinator">True for the workers of an embedded pool, which load the
    /// submitting app's assemblies from the path the pool sends; false for standalone workers, which
    /// run only what they were started with.</param>
    public TaskAssemblies(bool acceptPathsFromCoordinator) => throw new NotImplementedException();

    /// <summary>The simple names of the assemblies loaded so far.</summary>
    public IReadOnlyCollection<string> Names => throw new NotImplementedException();

    /// <summary>Loads a task assembly the worker was started with.</summary>
    /// <exception cref="FunctionResolutionException">The file is missing, not an assembly, or a framework assembly.</exception>
    public Assembly Add(string path) => throw new NotImplementedException();

    /// <summary>The task assembly that declares <paramref name="function"/>.</summary>
    /// <exception cref="FunctionResolutionException">It is not (and may not become) a task assembly.</exception>
    public Assembly Find(FunctionRef function) => throw new NotImplementedException();
}
