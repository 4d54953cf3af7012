using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Distributed.Coordinator.Hosting;

namespace Distributed.Coordinator.Supervision;

/// <summary>
/// Lets a self-contained app run the framework-dependent worker program on the app's own runtime.
/// Such an app has no dotnet host to start the worker with, and its image often has no .NET
/// install at all; but it carries the whole runtime in its folder. The worker program cannot
/// simply be published self-contained beside it: the package ships one worker for every app, and
/// two copies of the runtime would double the app. So, once per process, this builds a private
/// folder where the worker runs standalone: links to the worker's files and to the runtime's, a
/// copy of the worker's apphost (which looks for its host libraries beside its own real path, so
/// a link would not do), a deps.json that joins the worker's assets to the runtime pack the app's
/// deps.json lists, and a runtimeconfig without frameworks, which is what tells the host to run it
/// standalone.
/// </summary>
internal static class SelfContainedWorkerLayout
{
    private const string RuntimePackType = "runtimepack";

    private static readonly Lock s_lock = new();
    private static readonly Dictionary<string, string> s_prepared = new(StringComparer.Ordinal);

    /// <summary>
    /// Whether this process runs self-contained: its runtime is the app's folder itself, not a
    /// shared framework of a .NET install.
    /// </summary>
    public static bool AppIsSelfContained() =>
        SamePath(RuntimeEnvironment.GetRuntimeDirectory(), AppContext.BaseDirectory) && AppDepsFile() is not null;

    /// <summary>
    /// The worker's apphost in a folder prepared for <paramref name="programPath"/>, made on the
    /// first call of this process and reused after.
    /// </summary>
    /// <exception cref="InvalidOperationException">The app or the worker lacks what the folder is made of; the message names it.</exception>
    public static string ApphostFor(string programPath)
    {
        lock (s_lock)
        {
            if (!s_prepared.TryGetValue(programPath, out string? apphost))
            {
                string appDeps = AppDepsFile() ?? throw new InvalidOperationException("this self-contained app has no deps.json to find its runtime's files in");
                var folder = new PrivateSocketDirectory("distributed-worker-runtime");
                folder.Create();
                try
                {
                    apphost = Prepare(programPath, appDeps, folder.Path);
                }
                catch
                {
                    folder.Delete();
                    throw;
                }

                AppDomain.CurrentDomain.ProcessExit += (_, _) => folder.Delete();
                s_prepared[programPath] = apphost;
            }

            return apphost;
        }
    }

    /// <summary>
    /// Fills <paramref name="target"/> so the worker program at <paramref name="programPath"/> runs
    /// standalone on the runtime that <paramref name="appDepsFile"/> (a self-contained app's
    /// deps.json) lists beside it.
    /// </summary>
    /// <returns>The path of the worker's apphost in <paramref name="target"/>.</returns>
    public static string Prepare(string programPath, string appDepsFile, string target)
    {
        string workerFolder = Path.GetDirectoryName(Path.GetFullPath(programPath))!;
        string name = Path.GetFileNameWithoutExtension(programPath);
        string apphost = WorkerProgram.ApphostOf(Path.GetFullPath(programPath));
        string apphostName = Path.GetFileName(apphost);
        string workerDeps = Path.Combine(workerFolder, name + ".deps.json");
        string workerConfig = Path.Combine(workerFolder, name + ".runtimeconfig.json");
        foreach (string required in new[] { apphost, workerDeps, workerConfig })
        {
            if (!File.Exists(required))
            {
                throw new InvalidOperationException($"the worker program's {Path.GetFileName(required)} is missing from {workerFolder}");
            }
        }

        var app = ReadObject(appDepsFile);
        var worker = ReadObject(workerDeps);
        string appTarget = Required<JsonValue>(app, appDepsFile, "runtimeTarget", "name").GetValue<string>();
        string workerTarget = Required<JsonValue>(worker, workerDeps, "runtimeTarget", "name").GetValue<string>();
        var appLibraries = Required<JsonObject>(app, appDepsFile, "libraries");
        var mergedTargets = Required<JsonObject>(worker, workerDeps, "targets", workerTarget).DeepClone().AsObject();
        var mergedLibraries = Required<JsonObject>(worker, workerDeps, "libraries").DeepClone().AsObject();
        var runtimeFiles = new List<string>();
        var packs = new List<string>();
        foreach (var (library, assets) in Required<JsonObject>(app, appDepsFile, "targets", appTarget))
        {
            if ((string?)appLibraries[library]?["type"] != RuntimePackType || assets is null)
            {
                continue;
            }

            packs.Add(library);
            mergedTargets[library] = assets.DeepClone();
            mergedLibraries[library] = appLibraries[library]!.DeepClone();
            foreach (string kind in new[] { "runtime", "native" })
            {
                runtimeFiles.AddRange(assets[kind]?.AsObject().Select(asset => asset.Key) ?? []);
            }
        }

        if (runtimeFiles.Count == 0)
        {
            throw new InvalidOperationException($"{appDepsFile} lists no runtime pack, so this app is not self-contained");
        }

        // Each framework the worker runs on must be in the app (ASP.NET Core's, say): else the
        // worker would die loading it, with a message far from the cause.
        var workerConfigJson = ReadObject(workerConfig);
        foreach (var framework in workerConfigJson["runtimeOptions"]?["frameworks"]?.AsArray() ?? [])
        {
            string? frameworkName = (string?)framework?["name"];
            if (frameworkName is not null && !packs.Any(pack => pack.StartsWith($"{RuntimePackType}.{frameworkName}.Runtime.", StringComparison.Ordinal)))
            {
                throw new InvalidOperationException($"the worker program runs on {frameworkName}, which this self-contained app does not carry ({appDepsFile} lists no runtime pack of it)");
            }
        }

        // The worker's own files win where both have one: they are what it was built against.
        var skipped = new HashSet<string>(StringComparer.Ordinal) { apphostName, Path.GetFileName(workerDeps), Path.GetFileName(workerConfig) };
        foreach (string entry in Directory.EnumerateFileSystemEntries(workerFolder))
        {
            if (!skipped.Contains(Path.GetFileName(entry)))
            {
                Link(entry, Path.Combine(target, Path.GetFileName(entry)));
            }
        }

        string appFolder = Path.GetDirectoryName(Path.GetFullPath(appDepsFile))!;
        foreach (string file in runtimeFiles)
        {
            string linkPath = Path.Combine(target, file);
            if (!Path.Exists(linkPath))
            {
                Directory.CreateDirectory(Path.GetDirectoryName(linkPath)!);
                Link(Path.Combine(appFolder, file), linkPath);
            }
        }

        worker["runtimeTarget"]!["name"] = appTarget;
        worker["targets"] = new JsonObject { [appTarget] = mergedTargets };
        worker["libraries"] = mergedLibraries;
        File.WriteAllText(Path.Combine(target, Path.GetFileName(workerDeps)), worker.ToJsonString());
        File.WriteAllText(Path.Combine(target, Path.GetFileName(workerConfig)), Standalone(workerConfigJson).ToJsonString());

        string copied = Path.Combine(target, apphostName);
        File.Copy(apphost, copied);
        return copied;
    }

    /// <summary>The runtimeconfig without the frameworks it would be run on: runs standalone.</summary>
    private static JsonObject Standalone(JsonObject config)
    {
        var options = config["runtimeOptions"]?.AsObject();
        options?.Remove("frameworks");
        options?.Remove("framework");
        return config;
    }

    private static void Link(string existing, string linkPath)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.CreateSymbolicLink(linkPath, existing);
        }
        else if (Directory.Exists(existing))
        {
            // Links need a privilege there that apps seldom have: copy instead.
            foreach (string file in Directory.EnumerateFiles(existing, "*", SearchOption.AllDirectories))
            {
                string copy = Path.Combine(linkPath, Path.GetRelativePath(existing, file));
                Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
                File.Copy(file, copy);
            }
        }
        else
        {
            File.Copy(existing, linkPath);
        }
    }

    private static JsonObject ReadObject(string path)
    {
        try
        {
            return JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new InvalidOperationException($"{path} is not a JSON object");
        }
        catch (JsonException error)
        {
            throw new InvalidOperationException($"{path} is not valid JSON: {error.Message}", error);
        }
    }

    /// <summary>The node at <paramref name="keys"/> in <paramref name="root"/>, of the kind wanted, or an error naming the file and the path.</summary>
    private static T Required<T>(JsonObject root, string file, params string[] keys)
        where T : JsonNode
    {
        JsonNode? node = root;
        foreach (string key in keys)
        {
            node = node is JsonObject parent ? parent[key] : null;
        }

        return node as T ?? throw new InvalidOperationException($"{file} has no {string.Join('/', keys)}");
    }

    private static string? AppDepsFile() =>
        (AppContext.GetData("APP_CONTEXT_DEPS_FILES") as string)?.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(File.Exists);

    private static bool SamePath(string a, string b) =>
        string.Equals(Path.TrimEndingDirectorySeparator(Path.GetFullPath(a)), Path.TrimEndingDirectorySeparator(Path.GetFullPath(b)), StringComparison.Ordinal);
}
