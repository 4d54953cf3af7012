using System.Reflection.Emit;

namespace Distributed.Protocol.Tests;

public sealed class FunctionIdentityTests
{
    private readonly int _offset = 10;

    [Fact]
    public void Describe_PublicStaticMethod_NamesAssemblyTypeMethodAndSignature()
    {
        var reference = FunctionIdentity.Describe(new Func<int, int>(ResolverTargets.Square));

        Assert.Equal("Distributed.Protocol.Tests", reference.AssemblyName);
        Assert.Equal(typeof(ResolverTargets).Assembly.Location, reference.AssemblyPath);
        Assert.Equal("Distributed.Protocol.Tests.ResolverTargets", reference.TypeName);
        Assert.Equal("Square", reference.MethodName);
        Assert.Equal("Int32 Square(Int32)", reference.Signature);
        Assert.Empty(reference.GenericArguments);
        Assert.False(reference.OnLambdaSingleton);
    }

    [Fact]
    public void Describe_SameMethodTwice_ReturnsCachedDescription()
    {
        var first = FunctionIdentity.Describe(new Func<int, int>(ResolverTargets.Square));
        var second = FunctionIdentity.Describe(new Func<int, int>(ResolverTargets.Square));

        Assert.Same(first, second);
    }

    [Fact]
    public void Describe_CaptureFreeLambda_IsOnLambdaSingleton()
    {
        Func<int, int> lambda = x => x * 2;

        var reference = FunctionIdentity.Describe(lambda);

        Assert.True(reference.OnLambdaSingleton);
        Assert.EndsWith("+<>c", reference.TypeName, StringComparison.Ordinal);
        Assert.Equal(lambda.Method.Name, reference.MethodName);
    }

    [Fact]
    public void Describe_StaticLocalFunction_IsStatic()
    {
        var reference = FunctionIdentity.Describe(new Func<int, int>(Twice));

        Assert.False(reference.OnLambdaSingleton);
        Assert.Contains(nameof(Twice), reference.MethodName, StringComparison.Ordinal);
        Assert.Equal(typeof(FunctionIdentityTests).FullName, reference.TypeName);

        static int Twice(int value) => value * 2;
    }

    [Fact]
    public void Describe_GenericMethod_NamesDefinitionAndTypeArguments()
    {
        var reference = FunctionIdentity.Describe(new Func<List<int>, int>(ResolverTargets.CountItems));

        Assert.Equal("Int32 CountItems[T](System.Collections.Generic.List`1[T])", reference.Signature);
        Assert.Equal([typeof(int).AssemblyQualifiedName], reference.GenericArguments);
    }

    [Fact]
    public void Describe_Closure_ThrowsNamingMethodAndCapture()
    {
        int factor = Environment.ProcessorCount;
        Func<int, int> closure = x => x * factor;

        var ex = Assert.Throws<ArgumentException>(() => FunctionIdentity.Describe(closure));

        Assert.Contains(closure.Method.Name, ex.Message, StringComparison.Ordinal);
        Assert.Contains("captures state", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Describe_LocalFunctionUsingLocals_Throws()
    {
        int factor = Environment.ProcessorCount;

        var ex = Assert.Throws<ArgumentException>(() => FunctionIdentity.Describe(new Func<int, int>(Scale)));

        Assert.Contains(nameof(Scale), ex.Message, StringComparison.Ordinal);
        Assert.Contains("captures state", ex.Message, StringComparison.Ordinal);

        int Scale(int value) => value * factor;
    }

    [Fact]
    public void Describe_LambdaUsingThis_Throws()
    {
        Func<int, int> usesThis = x => x + _offset;

        var ex = Assert.Throws<ArgumentException>(() => FunctionIdentity.Describe(usesThis));

        Assert.Contains(usesThis.Method.Name, ex.Message, StringComparison.Ordinal);
        Assert.Contains("captures state", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Describe_PrivateStaticMethod_ThrowsNotPublic()
    {
        var ex = Assert.Throws<ArgumentException>(() => FunctionIdentity.Describe(new Func<int, int>(PrivateSquare)));

        Assert.Contains(nameof(PrivateSquare), ex.Message, StringComparison.Ordinal);
        Assert.Contains("is not public", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Describe_PublicMethodOfInternalType_ThrowsNotPublic()
    {
        var ex = Assert.Throws<ArgumentException>(() => FunctionIdentity.Describe(new Func<int, int>(InternalTargets.Negate)));

        Assert.Contains(nameof(InternalTargets.Negate), ex.Message, StringComparison.Ordinal);
        Assert.Contains("is not public", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Describe_InstanceMethod_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => FunctionIdentity.Describe(new Func<int, int>(new Adder(1).Add)));

        Assert.Contains(nameof(Adder.Add), ex.Message, StringComparison.Ordinal);
        Assert.Contains("is an instance method of Adder", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Describe_ExtensionMethodBoundToValue_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => FunctionIdentity.Describe(new Func<int>("text".CharCount)));

        Assert.Contains(nameof(ResolverTargets.CharCount), ex.Message, StringComparison.Ordinal);
        Assert.Contains("captures state", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Describe_MethodOfGenericType_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => FunctionIdentity.Describe(new Func<int, int>(GenericHolder<int>.Identity)));

        Assert.Contains(nameof(GenericHolder<int>.Identity), ex.Message, StringComparison.Ordinal);
        Assert.Contains("is declared in a generic type", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Describe_Multicast_Throws()
    {
        var multicast = (Func<int, int>)Delegate.Combine(new Func<int, int>(ResolverTargets.Square), new Func<int, int>(ResolverTargets.Echo))!;

        var ex = Assert.Throws<ArgumentException>(() => FunctionIdentity.Describe(multicast));

        Assert.Contains(nameof(ResolverTargets.Echo), ex.Message, StringComparison.Ordinal);
        Assert.Contains("multicast", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Describe_DynamicMethod_Throws()
    {
        var method = new DynamicMethod("Generated", typeof(int), [typeof(int)]);
        var il = method.GetILGenerator();
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Ret);
        var function = method.CreateDelegate<Func<int, int>>();

        var ex = Assert.Throws<ArgumentException>(() => FunctionIdentity.Describe(function));

        Assert.Contains("Generated", ex.Message, StringComparison.Ordinal);
        Assert.Contains("is a dynamic method", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Signature_ReturnsParameterAndReturnTypes()
    {
        var (parameters, returnType) = FunctionIdentity.Signature(new Func<string?, double[], Color, string>(ResolverTargets.Describe));
        var (voidParameters, voidReturn) = FunctionIdentity.Signature(new Action<string>(ResolverTargets.Fail));

        Assert.Equal([typeof(string), typeof(double[]), typeof(Color)], parameters);
        Assert.Equal(typeof(string), returnType);
        Assert.Equal([typeof(string)], voidParameters);
        Assert.Equal(typeof(void), voidReturn);
    }

    [Fact]
    public void Signature_GenericMethod_UsesTypeArguments()
    {
        var (parameters, returnType) = FunctionIdentity.Signature(new Func<Guid, Guid>(ResolverTargets.Echo));

        Assert.Equal([typeof(Guid)], parameters);
        Assert.Equal(typeof(Guid), returnType);
    }

    private static int PrivateSquare(int value) => value * value;
}
