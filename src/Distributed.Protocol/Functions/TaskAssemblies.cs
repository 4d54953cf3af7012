using System.Reflection;
using System.Runtime.Loader;
using Distributed.Protocol.Functions;
using Distributed.Protocol.V1;

namespace Distributed.Protocol;

/// <summary>
/// The worker's allow-list: the assemblies whose methods it may run. Framework assemblies are never
/// task assemblies. Assemblies load into the default context, their dependencies resolving from
/// beside them.
/// </summary>
/// <remarks>Thread-safe.</remarks>
public sealed class TaskAssemblies
{
    private readonly bool _acceptPathsFromCoordinator;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Assembly> _assemblies = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Creates an empty allow-list.</summary>
    /// <param name="acceptPathsFromCoordinator">True for the workers of an embedded pool, which load the
    /// submitting app's assemblies from the path the pool sends; false for standalone workers, which
    /// run only what they were started with.</param>
    public TaskAssemblies(bool acceptPathsFromCoordinator) => _acceptPathsFromCoordinator = acceptPathsFromCoordinator;

    /// <summary>The simple names of the assemblies loaded so far.</summary>
    public IReadOnlyCollection<string> Names
    {
        get
        {
            lock (_lock)
            {
                return [.. _assemblies.Keys];
            }
        }
    }

    /// <summary>Loads a task assembly the worker was started with.</summary>
    /// <param name="path">The assembly file.</param>
    /// <returns>The loaded assembly (the one already loaded, if an assembly of the same simple name was).</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty.</exception>
    /// <exception cref="FunctionResolutionException">The file is missing, not an assembly, or a framework assembly.</exception>
    public Assembly Add(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return Add(path, expectedName: null);
    }

    /// <summary>The task assembly that declares <paramref name="function"/>.</summary>
    /// <param name="function">The function a call names.</param>
    /// <exception cref="ArgumentNullException"><paramref name="function"/> is null.</exception>
    /// <exception cref="FunctionResolutionException">It is not (and may not become) a task assembly.</exception>
    public Assembly Find(FunctionRef function)
    {
        ArgumentNullException.ThrowIfNull(function);
        string name = function.AssemblyName;
        if (name.Length == 0)
        {
            throw new FunctionResolutionException($"The function {function.TypeName}.{function.MethodName} names no assembly.");
        }

        lock (_lock)
        {
            if (_assemblies.TryGetValue(name, out var known))
            {
                return known;
            }
        }

        ThrowIfFramework(name, location: null);
        string path = function.AssemblyPath;
        if (_acceptPathsFromCoordinator && path.Length > 0 && File.Exists(path))
        {
            return Add(path, name);
        }

        string why = !_acceptPathsFromCoordinator || path.Length == 0
            ? "start the worker with it"
            : $"the path the coordinator sent ({path}) does not exist on this worker";
        throw new FunctionResolutionException($"Assembly '{name}' is not a task assembly of this worker; {why}.");
    }

    private Assembly Add(string path, string? expectedName)
    {
        string fullPath;
        try
        {
            fullPath = Path.GetFullPath(path);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new FunctionResolutionException($"Cannot load task assembly '{path}': {e.Message}", e);
        }

        var assemblyName = ReadName(fullPath);
        string simpleName = assemblyName.Name ?? string.Empty;
        if (expectedName is not null && !string.Equals(simpleName, expectedName, StringComparison.OrdinalIgnoreCase))
        {
            throw new FunctionResolutionException($"Cannot load task assembly '{expectedName}' from {fullPath}: that file is assembly '{simpleName}'.");
        }

        ThrowIfFramework(simpleName, fullPath);
        lock (_lock)
        {
            if (_assemblies.TryGetValue(simpleName, out var known))
            {
                return known;
            }

            TaskAssemblyResolution.Register(fullPath);
            var assembly = Load(simpleName, fullPath);

            // The same name may already be loaded from elsewhere; that copy is the one that runs, so it is the one checked.
            ThrowIfFramework(simpleName, assembly.Location);
            _assemblies.Add(simpleName, assembly);
            return assembly;
        }
    }

    private static AssemblyName ReadName(string fullPath)
    {
        if (!File.Exists(fullPath))
        {
            throw new FunctionResolutionException($"Cannot load task assembly {fullPath}: the file does not exist.");
        }

        try
        {
            return AssemblyName.GetAssemblyName(fullPath);
        }
        catch (Exception e) when (e is BadImageFormatException or IOException or ArgumentException)
        {
            throw new FunctionResolutionException($"Cannot load task assembly {fullPath}: it is not a .NET assembly ({e.Message}).", e);
        }
    }

    private static Assembly Load(string simpleName, string fullPath)
    {
        // Loading a second copy of a loaded name would fail, and the first copy is what the
        // process's other code already binds to.
        foreach (var loaded in AssemblyLoadContext.Default.Assemblies)
        {
            if (string.Equals(loaded.GetName().Name, simpleName, StringComparison.OrdinalIgnoreCase))
            {
                return loaded;
            }
        }

        try
        {
            return AssemblyLoadContext.Default.LoadFromAssemblyPath(fullPath);
        }
        catch (Exception e) when (e is IOException or BadImageFormatException)
        {
            throw new FunctionResolutionException($"Cannot load task assembly {fullPath}: {e.Message}", e);
        }
    }

    private static void ThrowIfFramework(string simpleName, string? location)
    {
        if (FrameworkAssemblies.Rejection(simpleName, location) is { } reason)
        {
            throw new FunctionResolutionException($"Assembly {reason}; framework and infrastructure assemblies are never task assemblies.");
        }
    }
}
