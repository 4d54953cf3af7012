using Distributed.Protocol.Functions;

namespace Distributed.Protocol.Tests;

/// <summary>A task function as client and worker see it: its result is the awaited value, on both sides.</summary>
public sealed class TaskFunctionTests
{
    private readonly FunctionResolver _resolver = new(new TaskAssemblies(acceptPathsFromCoordinator: true));

    [Theory]
    [InlineData(typeof(Task<int>), typeof(int))]
    [InlineData(typeof(ValueTask<string>), typeof(string))]
    [InlineData(typeof(Task), typeof(void))]
    [InlineData(typeof(ValueTask), typeof(void))]
    [InlineData(typeof(int), typeof(int))]
    [InlineData(typeof(List<Task<int>>), typeof(List<Task<int>>))]
    public void WireResultType_IsTheAwaitedType(Type declared, Type expected) =>
        Assert.Equal(expected, TaskShapes.WireResultType(declared));

    [Fact]
    public void Signature_OfATaskFunction_NamesTheAwaitedType()
    {
        Assert.Equal(typeof(int), FunctionIdentity.Signature(new Func<int, Task<int>>(AsyncTargets.SquareAsync)).ReturnType);
        Assert.Equal(typeof(void), FunctionIdentity.Signature(new Func<int, Task>(AsyncTargets.NothingAsync)).ReturnType);
    }

    [Fact]
    public async Task Resolved_TaskFunctionsOfEveryShape_AwaitToTheirValue()
    {
        Assert.Equal(49, await Run(new Func<int, Task<int>>(AsyncTargets.SquareAsync), 7));
        Assert.Equal(49, await Run(new Func<int, Task<int>>(AsyncTargets.SquareDone), 7));
        Assert.Equal("hi", await Run(new Func<string, ValueTask<string>>(AsyncTargets.EchoValueAsync), "hi"));
        Assert.Null(await Run(new Func<int, Task>(AsyncTargets.NothingAsync), 1));
        Assert.Null(await Run(new Func<int, ValueTask>(AsyncTargets.NothingDone), 1));
    }

    [Fact]
    public async Task Resolved_TaskFunction_ThrowsItsOwnExceptionWhenAwaited()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Run(new Func<string, Task<int>>(AsyncTargets.ThrowAsync), "late").AsTask());
        Assert.Equal("late", error.Message);
    }

    [Fact]
    public async Task Resolved_TaskFunctionReturningNull_FailsWithAClearError()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Run(new Func<int, Task<int>>(AsyncTargets.ReturnsNull), 1).AsTask());
        Assert.Contains("returned null instead of a Task", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolved_SyncFunction_IsNotAsync() =>
        Assert.False(_resolver.Resolve(FunctionIdentity.Describe(new Func<int, int>(ResolverTargets.Square))).IsAsync);

    private ValueTask<object?> Run(Delegate function, object argument)
    {
        var resolved = _resolver.Resolve(FunctionIdentity.Describe(function));
        Assert.True(resolved.IsAsync);
        Assert.Equal(FunctionIdentity.Signature(function).ReturnType, resolved.ReturnType);
        return resolved.Await(resolved.Invoke([argument]));
    }
}
