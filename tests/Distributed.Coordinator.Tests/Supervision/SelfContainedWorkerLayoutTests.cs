using System.Text.Json.Nodes;
using Distributed.Coordinator.Supervision;

namespace Distributed.Coordinator.Tests.Supervision;

/// <summary>
/// The folder a self-contained app runs its framework-dependent worker program from, built from
/// files shaped like the SDK's. That the worker really runs there, with no .NET installed, the
/// package test checks on a published app.
/// </summary>
public sealed class SelfContainedWorkerLayoutTests : IDisposable
{
    private const string AppTarget = ".NETCoreApp,Version=v10.0/linux-x64";
    private const string RuntimePack = "runtimepack.Microsoft.NETCore.App.Runtime.linux-x64/10.0.1";

    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("layout-test-");

    private string App => Path.Combine(_root.FullName, "app");

    private string WorkerFolder => Path.Combine(App, "distributed-worker");

    private string Target => Directory.CreateDirectory(Path.Combine(_root.FullName, "target")).FullName;

    public void Dispose() => _root.Delete(recursive: true);

    [Fact]
    public void The_worker_runs_standalone_on_the_runtime_the_app_lists()
    {
        WriteWorker();
        WriteAppDeps(withRuntimePack: true);

        string apphost = SelfContainedWorkerLayout.Prepare(Path.Combine(WorkerFolder, "worker.dll"), Path.Combine(App, "app.deps.json"), Target);

        Assert.Equal(Path.Combine(Target, "worker"), apphost);
        Assert.Equal("apphost bytes", File.ReadAllText(apphost));
        Assert.Null(new FileInfo(apphost).LinkTarget); // a copy: it finds its host libraries beside its real path
        Assert.Equal(Path.Combine(WorkerFolder, "Worker.Lib.dll"), new FileInfo(Path.Combine(Target, "Worker.Lib.dll")).LinkTarget);
        Assert.Equal(Path.Combine(App, "System.Private.CoreLib.dll"), new FileInfo(Path.Combine(Target, "System.Private.CoreLib.dll")).LinkTarget);
        Assert.Equal(Path.Combine(App, "libhostfxr.so"), new FileInfo(Path.Combine(Target, "libhostfxr.so")).LinkTarget);

        // Where both have a file, the worker's is the one it was built against.
        Assert.Equal(Path.Combine(WorkerFolder, "Shared.dll"), new FileInfo(Path.Combine(Target, "Shared.dll")).LinkTarget);

        var deps = JsonNode.Parse(File.ReadAllText(Path.Combine(Target, "worker.deps.json")))!;
        Assert.Equal(AppTarget, (string?)deps["runtimeTarget"]!["name"]);
        var targets = deps["targets"]!.AsObject();
        Assert.Equal([AppTarget], targets.Select(target => target.Key));
        Assert.NotNull(targets[AppTarget]!["worker/1.0.0"]);
        Assert.NotNull(targets[AppTarget]![RuntimePack]!["native"]!["libhostfxr.so"]);
        Assert.Equal("runtimepack", (string?)deps["libraries"]![RuntimePack]!["type"]);
        Assert.Null(deps["libraries"]!["app/1.0.0"]);

        var options = JsonNode.Parse(File.ReadAllText(Path.Combine(Target, "worker.runtimeconfig.json")))!["runtimeOptions"]!;
        Assert.Null(options["frameworks"]);
        Assert.Equal(true, (bool?)options["configProperties"]!["System.Globalization.Invariant"]);
    }

    [Fact]
    public void An_app_whose_deps_list_no_runtime_pack_is_named_in_the_error()
    {
        WriteWorker();
        WriteAppDeps(withRuntimePack: false);

        var error = Assert.Throws<InvalidOperationException>(() =>
            SelfContainedWorkerLayout.Prepare(Path.Combine(WorkerFolder, "worker.dll"), Path.Combine(App, "app.deps.json"), Target));

        Assert.Contains("app.deps.json lists no runtime pack", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_worker_without_its_apphost_is_named_in_the_error()
    {
        WriteWorker();
        File.Delete(Path.Combine(WorkerFolder, "worker"));
        WriteAppDeps(withRuntimePack: true);

        var error = Assert.Throws<InvalidOperationException>(() =>
            SelfContainedWorkerLayout.Prepare(Path.Combine(WorkerFolder, "worker.dll"), Path.Combine(App, "app.deps.json"), Target));

        Assert.Contains("worker is missing from", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_framework_the_app_does_not_carry_is_named_in_the_error()
    {
        WriteWorker();
        string config = Path.Combine(WorkerFolder, "worker.runtimeconfig.json");
        File.WriteAllText(config, File.ReadAllText(config).Replace(
            """{ "name": "Microsoft.NETCore.App", "version": "10.0.0" }""",
            """{ "name": "Microsoft.NETCore.App", "version": "10.0.0" }, { "name": "Microsoft.AspNetCore.App", "version": "10.0.0" }""",
            StringComparison.Ordinal));
        WriteAppDeps(withRuntimePack: true);

        var error = Assert.Throws<InvalidOperationException>(() => Prepare());

        Assert.Contains("runs on Microsoft.AspNetCore.App, which this self-contained app does not carry", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{ not json", "is not valid JSON")]
    [InlineData("""{ "targets": {}, "libraries": {} }""", "has no runtimeTarget/name")]
    public void A_deps_file_that_is_not_what_the_SDK_writes_is_named_in_the_error(string appDeps, string expected)
    {
        WriteWorker();
        WriteAppDeps(withRuntimePack: true);
        File.WriteAllText(Path.Combine(App, "app.deps.json"), appDeps);

        var error = Assert.Throws<InvalidOperationException>(() => Prepare());

        Assert.Contains("app.deps.json", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void This_test_process_is_not_self_contained()
    {
        // The test host runs on a shared framework, as a framework-dependent app does: no layout.
        Assert.False(SelfContainedWorkerLayout.AppIsSelfContained());
    }

    private string Prepare() =>
        SelfContainedWorkerLayout.Prepare(Path.Combine(WorkerFolder, "worker.dll"), Path.Combine(App, "app.deps.json"), Target);

    private void WriteWorker()
    {
        Directory.CreateDirectory(WorkerFolder);
        foreach (string file in new[] { "worker.dll", "Worker.Lib.dll", "Shared.dll" })
        {
            File.WriteAllText(Path.Combine(WorkerFolder, file), file);
        }

        File.WriteAllText(Path.Combine(WorkerFolder, "worker"), "apphost bytes");
        File.WriteAllText(Path.Combine(WorkerFolder, "worker.deps.json"), """
            {
              "runtimeTarget": { "name": ".NETCoreApp,Version=v10.0", "signature": "" },
              "compilationOptions": {},
              "targets": { ".NETCoreApp,Version=v10.0": {
                "worker/1.0.0": { "dependencies": { "Worker.Lib": "1.0.0" }, "runtime": { "worker.dll": {} } },
                "Worker.Lib/1.0.0": { "runtime": { "lib/net10.0/Worker.Lib.dll": {} } } } },
              "libraries": {
                "worker/1.0.0": { "type": "project", "serviceable": false, "sha512": "" },
                "Worker.Lib/1.0.0": { "type": "package", "serviceable": true, "sha512": "sha512-x", "path": "worker.lib/1.0.0" } }
            }
            """);
        File.WriteAllText(Path.Combine(WorkerFolder, "worker.runtimeconfig.json"), """
            { "runtimeOptions": { "tfm": "net10.0",
              "frameworks": [ { "name": "Microsoft.NETCore.App", "version": "10.0.0" } ],
              "configProperties": { "System.Globalization.Invariant": true } } }
            """);
    }

    private void WriteAppDeps(bool withRuntimePack)
    {
        foreach (string file in new[] { "System.Private.CoreLib.dll", "Shared.dll", "libhostfxr.so", "app.dll" })
        {
            File.WriteAllText(Path.Combine(App, file), file);
        }

        string pack = withRuntimePack
            ? $$""", "{{RuntimePack}}": { "runtime": { "System.Private.CoreLib.dll": {}, "Shared.dll": {} }, "native": { "libhostfxr.so": {} } }"""
            : "";
        string library = withRuntimePack ? $$""", "{{RuntimePack}}": { "type": "runtimepack", "serviceable": false, "sha512": "" }""" : "";
        File.WriteAllText(Path.Combine(App, "app.deps.json"), $$"""
            {
              "runtimeTarget": { "name": "{{AppTarget}}", "signature": "" },
              "targets": { "{{AppTarget}}": { "app/1.0.0": { "runtime": { "app.dll": {} } }{{pack}} } },
              "libraries": { "app/1.0.0": { "type": "project", "serviceable": false, "sha512": "" }{{library}} }
            }
            """);
    }
}
