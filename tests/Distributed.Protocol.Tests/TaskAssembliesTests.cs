using Distributed.Protocol.V1;

namespace Distributed.Protocol.Tests;

public sealed class TaskAssembliesTests
{
    private static readonly string s_testAssemblyPath = typeof(ResolverTargets).Assembly.Location;

    [Fact]
    public void Find_UnknownAssemblyWithoutAcceptingPaths_ThrowsEvenWithPath()
    {
        var assemblies = new TaskAssemblies(acceptPathsFromCoordinator: false);

        var ex = Assert.Throws<FunctionResolutionException>(() => assemblies.Find(TestReference()));

        Assert.Contains("is not a task assembly of this worker", ex.Message, StringComparison.Ordinal);
        Assert.Empty(assemblies.Names);
    }

    [Fact]
    public void Find_AfterAdd_ReturnsAssembly()
    {
        var assemblies = new TaskAssemblies(acceptPathsFromCoordinator: false);

        var added = assemblies.Add(s_testAssemblyPath);

        Assert.Same(typeof(ResolverTargets).Assembly, added);
        Assert.Same(added, assemblies.Find(TestReference()));
        Assert.Equal(["Distributed.Protocol.Tests"], assemblies.Names);
    }

    [Fact]
    public void Find_AcceptingPaths_LoadsFromPath()
    {
        var assemblies = new TaskAssemblies(acceptPathsFromCoordinator: true);

        Assert.Same(typeof(ResolverTargets).Assembly, assemblies.Find(TestReference()));
        Assert.Contains("Distributed.Protocol.Tests", assemblies.Names);
    }

    [Fact]
    public void Find_AcceptingPathsButFileMissing_Throws()
    {
        var assemblies = new TaskAssemblies(acceptPathsFromCoordinator: true);
        var reference = TestReference();
        reference.AssemblyPath = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"), "Missing.dll");

        var ex = Assert.Throws<FunctionResolutionException>(() => assemblies.Find(reference));

        Assert.Contains("does not exist", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Find_PathHoldsAnotherAssembly_Throws()
    {
        var assemblies = new TaskAssemblies(acceptPathsFromCoordinator: true);
        var reference = TestReference();
        reference.AssemblyName = "Someone.Else";

        var ex = Assert.Throws<FunctionResolutionException>(() => assemblies.Find(reference));

        Assert.Contains("Someone.Else", ex.Message, StringComparison.Ordinal);
        Assert.Empty(assemblies.Names);
    }

    [Fact]
    public void Add_FrameworkAssembly_Throws()
    {
        var assemblies = new TaskAssemblies(acceptPathsFromCoordinator: true);

        Assert.Throws<FunctionResolutionException>(() => assemblies.Add(typeof(object).Assembly.Location));
        Assert.Throws<FunctionResolutionException>(() => assemblies.Add(typeof(Uri).Assembly.Location));
        Assert.Empty(assemblies.Names);
    }

    [Fact]
    public void Add_InfrastructureAssembly_Throws()
    {
        var assemblies = new TaskAssemblies(acceptPathsFromCoordinator: true);

        var ex = Assert.Throws<FunctionResolutionException>(() => assemblies.Add(typeof(ValueCodec).Assembly.Location));
        Assert.Throws<FunctionResolutionException>(() => assemblies.Add(typeof(Distributed.Futures.Future).Assembly.Location));

        Assert.Contains("Distributed.Protocol", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Find_FrameworkNameWithoutPath_ThrowsFrameworkReason()
    {
        var assemblies = new TaskAssemblies(acceptPathsFromCoordinator: false);
        var reference = new FunctionRef { AssemblyName = "System.Private.CoreLib", TypeName = "System.IO.File", MethodName = "Delete" };

        var ex = Assert.Throws<FunctionResolutionException>(() => assemblies.Find(reference));

        Assert.Contains("framework", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Add_MissingFile_Throws()
    {
        var assemblies = new TaskAssemblies(acceptPathsFromCoordinator: false);

        var ex = Assert.Throws<FunctionResolutionException>(() => assemblies.Add(Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N") + ".dll")));

        Assert.Contains("does not exist", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Add_FileThatIsNotAnAssembly_Throws()
    {
        var assemblies = new TaskAssemblies(acceptPathsFromCoordinator: false);
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "not an assembly");

            var ex = Assert.Throws<FunctionResolutionException>(() => assemblies.Add(path));

            Assert.Contains("not a .NET assembly", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Add_TestingHelpersAssembly_IsAllowed()
    {
        var assemblies = new TaskAssemblies(acceptPathsFromCoordinator: false);

        var added = assemblies.Add(typeof(Distributed.Testing.TestTasks).Assembly.Location);

        Assert.Equal("Distributed.Testing", added.GetName().Name);
    }

    [Fact]
    public void Rejection_HarmlessNameInRuntimeDirectory_IsRejectedByLocation()
    {
        var reason = Functions.FrameworkAssemblies.Rejection("Harmless", typeof(object).Assembly.Location);

        Assert.NotNull(reason);
        Assert.Contains("runtime directory", reason, StringComparison.Ordinal);
        Assert.Null(Functions.FrameworkAssemblies.Rejection("Harmless", s_testAssemblyPath));
    }

    private static FunctionRef TestReference() => new()
    {
        AssemblyName = "Distributed.Protocol.Tests",
        AssemblyPath = s_testAssemblyPath,
        TypeName = typeof(ResolverTargets).FullName,
        MethodName = nameof(ResolverTargets.Square),
        Signature = "Int32 Square(Int32)",
    };
}
