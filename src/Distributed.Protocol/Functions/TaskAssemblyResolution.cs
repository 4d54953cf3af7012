using System.Reflection;
using System.Runtime.Loader;

namespace Distributed.Protocol.Functions;

/// <summary>
/// Resolves the dependencies of task assemblies in the default load context: through each task
/// assembly's <c>.deps.json</c> (<see cref="AssemblyDependencyResolver"/>), and failing that from
/// the task assembly's directory. One handler per process, whatever the number of <see cref="TaskAssemblies"/>.
/// </summary>
internal static class TaskAssemblyResolution
{
    private static readonly Lock s_lock = new();
    private static readonly List<Component> s_components = [];
    private static bool s_installed;

    public static void Register(string assemblyPath)
    {
        lock (s_lock)
        {
            if (s_components.Exists(c => c.Path == assemblyPath))
            {
                return;
            }

            s_components.Add(new Component(assemblyPath, Path.GetDirectoryName(assemblyPath)!, CreateResolver(assemblyPath)));
            if (!s_installed)
            {
                AssemblyLoadContext.Default.Resolving += Resolve;
                s_installed = true;
            }
        }
    }

    private static AssemblyDependencyResolver? CreateResolver(string assemblyPath)
    {
        try
        {
            return new AssemblyDependencyResolver(assemblyPath);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            // No usable .deps.json: probing the directory below still finds plain dependencies.
            return null;
        }
    }

    private static Assembly? Resolve(AssemblyLoadContext context, AssemblyName name)
    {
        Component[] components;
        lock (s_lock)
        {
            components = [.. s_components];
        }

        foreach (var component in components)
        {
            if (component.Resolver?.ResolveAssemblyToPath(name) is { } path && TryLoad(context, path) is { } assembly)
            {
                return assembly;
            }
        }

        if (name.Name is null)
        {
            return null;
        }

        foreach (var component in components)
        {
            if (TryLoad(context, Path.Combine(component.Directory, name.Name + ".dll")) is { } assembly)
            {
                return assembly;
            }
        }

        return null;
    }

    private static Assembly? TryLoad(AssemblyLoadContext context, string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return context.LoadFromAssemblyPath(path);
        }
        catch (Exception e) when (e is IOException or BadImageFormatException)
        {
            return null;
        }
    }

    private sealed record Component(string Path, string Directory, AssemblyDependencyResolver? Resolver);
}
