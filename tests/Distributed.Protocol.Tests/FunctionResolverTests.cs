using Distributed.Protocol.V1;

namespace Distributed.Protocol.Tests;

public sealed class FunctionResolverTests
{
    private readonly FunctionResolver _resolver = new(new TaskAssemblies(acceptPathsFromCoordinator: true));

    [Fact]
    public void Resolve_PublicStaticMethod_InvokesIt()
    {
        var resolved = _resolver.Resolve(FunctionIdentity.Describe(new Func<int, int>(ResolverTargets.Square)));

        Assert.Equal(49, resolved.Invoke([7]));
        Assert.Equal([typeof(int)], resolved.ParameterTypes);
        Assert.Equal(typeof(int), resolved.ReturnType);
        Assert.Equal("ResolverTargets.Square(Int32)", resolved.DisplayName);
    }

    [Fact]
    public void Resolve_Overload_PicksTheOneTheSignatureNames()
    {
        var resolved = _resolver.Resolve(FunctionIdentity.Describe(new Func<long, int>(ResolverTargets.Square)));

        Assert.Equal([typeof(long)], resolved.ParameterTypes);
        Assert.Equal(9, resolved.Invoke([3L]));
    }

    [Fact]
    public void Resolve_SeveralParameterTypes_InvokesWithDecodedArguments()
    {
        var resolved = _resolver.Resolve(FunctionIdentity.Describe(new Func<string?, double[], Color, string>(ResolverTargets.Describe)));

        double[] values = [1.0, 2.5];

        Assert.Equal("nobody:3.5:Blue", resolved.Invoke([null, values, Color.Blue]));
    }

    [Fact]
    public void Resolve_LambdaSingleton_InvokesOnTheSingleton()
    {
        var reference = FunctionIdentity.Describe(ResolverTargets.Increment);

        var resolved = _resolver.Resolve(reference);

        Assert.True(reference.OnLambdaSingleton);
        Assert.Equal(42, resolved.Invoke([41]));
    }

    [Fact]
    public void Resolve_StaticLocalFunction_InvokesIt()
    {
        var resolved = _resolver.Resolve(FunctionIdentity.Describe(ResolverTargets.Tripler()));

        Assert.Equal(21, resolved.Invoke([7]));
    }

    [Fact]
    public void Resolve_GenericMethod_ClosesOverTypeArguments()
    {
        var echo = _resolver.Resolve(FunctionIdentity.Describe(new Func<string, string>(ResolverTargets.Echo)));
        var count = _resolver.Resolve(FunctionIdentity.Describe(new Func<List<Person>, int>(ResolverTargets.CountItems)));

        Assert.Equal("hi", echo.Invoke(["hi"]));
        Assert.Equal([typeof(List<Person>)], count.ParameterTypes);
        Assert.Equal(2, count.Invoke([new List<Person> { new("a", 1), new("b", 2) }]));
    }

    [Fact]
    public void Resolve_VoidMethod_ExceptionPropagatesUnwrapped()
    {
        var resolved = _resolver.Resolve(FunctionIdentity.Describe(new Action<string>(ResolverTargets.Fail)));

        var ex = Assert.Throws<InvalidOperationException>(() => resolved.Invoke(["expected failure"]));

        Assert.Equal(typeof(void), resolved.ReturnType);
        Assert.Equal("expected failure", ex.Message);
    }

    [Fact]
    public void Resolve_SameReferenceTwice_ReturnsCachedFunction()
    {
        var reference = FunctionIdentity.Describe(new Func<int, int>(ResolverTargets.Square));

        Assert.Same(_resolver.Resolve(reference), _resolver.Resolve(reference.Clone()));
    }

    [Fact]
    public void Invoke_WrongArgumentCount_ThrowsArgumentException()
    {
        var resolved = _resolver.Resolve(FunctionIdentity.Describe(new Func<int, int>(ResolverTargets.Square)));

        Assert.Throws<ArgumentException>(() => resolved.Invoke([1, 2]));
    }

    [Fact]
    public void Resolve_FrameworkMethod_ThrowsAndNeverRuns()
    {
        string path = Path.GetTempFileName();
        try
        {
            var reference = new FunctionRef
            {
                AssemblyName = typeof(File).Assembly.GetName().Name,
                AssemblyPath = typeof(File).Assembly.Location,
                TypeName = typeof(File).FullName,
                MethodName = nameof(File.Delete),
                Signature = "Void Delete(System.String)",
            };

            var ex = Assert.Throws<FunctionResolutionException>(() => _resolver.Resolve(reference));

            Assert.Contains(typeof(File).Assembly.GetName().Name!, ex.Message, StringComparison.Ordinal);
            Assert.Contains("framework", ex.Message, StringComparison.Ordinal);
            Assert.True(File.Exists(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Resolve_FrameworkTypeNamedInTaskAssembly_Throws()
    {
        var reference = TestAssemblyReference(typeof(File).FullName!, nameof(File.Delete), "Void Delete(System.String)");

        var ex = Assert.Throws<FunctionResolutionException>(() => _resolver.Resolve(reference));

        Assert.Contains("has no type 'System.IO.File'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_UnknownType_ThrowsNamingIt()
    {
        var reference = TestAssemblyReference("Distributed.Protocol.Tests.Missing", "Square", "Int32 Square(Int32)");

        var ex = Assert.Throws<FunctionResolutionException>(() => _resolver.Resolve(reference));

        Assert.Contains("Distributed.Protocol.Tests.Missing", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Distributed.Protocol.Tests", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_UnknownMethod_ThrowsNamingIt()
    {
        var reference = TestAssemblyReference(typeof(ResolverTargets).FullName!, "Cube", "Int32 Cube(Int32)");

        var ex = Assert.Throws<FunctionResolutionException>(() => _resolver.Resolve(reference));

        Assert.Contains("no method named 'Cube'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_UnknownSignature_ThrowsListingOverloads()
    {
        var reference = TestAssemblyReference(typeof(ResolverTargets).FullName!, "Square", "Int32 Square(System.String)");

        var ex = Assert.Throws<FunctionResolutionException>(() => _resolver.Resolve(reference));

        Assert.Contains("Int32 Square(System.String)", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Int32 Square(Int64)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_HandcraftedPrivateMethod_ThrowsAndNeverRuns()
    {
        int before = ResolverTargets.SecretCalls;
        var reference = TestAssemblyReference(typeof(ResolverTargets).FullName!, "Hidden", "Int32 Hidden(Int32)");

        var ex = Assert.Throws<FunctionResolutionException>(() => _resolver.Resolve(reference));

        Assert.Contains("Hidden", ex.Message, StringComparison.Ordinal);
        Assert.Contains("is not public", ex.Message, StringComparison.Ordinal);
        Assert.Equal(before, ResolverTargets.SecretCalls);
    }

    [Fact]
    public void Resolve_HandcraftedInstanceMethod_Throws()
    {
        var reference = TestAssemblyReference(typeof(Adder).FullName!, nameof(Adder.Add), "Int32 Add(Int32)");

        var ex = Assert.Throws<FunctionResolutionException>(() => _resolver.Resolve(reference));

        Assert.Contains("instance method", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_SingletonFlagMismatch_Throws()
    {
        var lambda = FunctionIdentity.Describe(ResolverTargets.Increment).Clone();
        lambda.OnLambdaSingleton = false;
        var method = FunctionIdentity.Describe(new Func<int, int>(ResolverTargets.Square)).Clone();
        method.OnLambdaSingleton = true;

        Assert.Throws<FunctionResolutionException>(() => _resolver.Resolve(lambda));
        Assert.Throws<FunctionResolutionException>(() => _resolver.Resolve(method));
    }

    [Fact]
    public void Resolve_WrongGenericArgumentCount_Throws()
    {
        var reference = FunctionIdentity.Describe(new Func<int, int>(ResolverTargets.Echo)).Clone();
        reference.GenericArguments.Add(typeof(string).AssemblyQualifiedName);

        var ex = Assert.Throws<FunctionResolutionException>(() => _resolver.Resolve(reference));

        Assert.Contains("type arguments", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_UnknownGenericArgument_Throws()
    {
        var reference = FunctionIdentity.Describe(new Func<int, int>(ResolverTargets.Echo)).Clone();
        reference.GenericArguments[0] = "Nowhere.Type, Nowhere";

        var ex = Assert.Throws<FunctionResolutionException>(() => _resolver.Resolve(reference));

        Assert.Contains("Nowhere.Type", ex.Message, StringComparison.Ordinal);
    }

    private static FunctionRef TestAssemblyReference(string typeName, string methodName, string signature) => new()
    {
        AssemblyName = typeof(ResolverTargets).Assembly.GetName().Name,
        AssemblyPath = typeof(ResolverTargets).Assembly.Location,
        TypeName = typeName,
        MethodName = methodName,
        Signature = signature,
    };
}
