using Distributed.Coordinator.ProcessPool;
using Distributed.Futures;
using Distributed.Protocol;
using Distributed.Protocol.V1;
using Distributed.Remoting;
using Distributed.Testing;

namespace Distributed.Coordinator.Tests;

/// <summary>
/// What crosses the process boundary: values, exceptions and function identities; and what
/// happens to input that cannot cross: it fails its own future, clearly, and the pool goes on.
/// </summary>
public sealed class ProcessPoolWireTests : IDisposable
{
    private static readonly TimeSpan Timeout = TestTimeouts.Default;
    private readonly ProcessPoolExecutor _pool = new(maxWorkers: 2);

    public void Dispose() => _pool.Dispose();

    [Fact]
    public void Values_OfEverySupportedKind_RoundTrip()
    {
        var moment = new DateTimeOffset(2026, 11, 24, 9, 30, 0, TimeSpan.FromHours(5.5));
        var id = Guid.NewGuid();
        Assert.Equal(5, _pool.Submit(ProcessTasks.Length, "héllo").Result(Timeout));
        Assert.Equal(moment.AddDays(1), _pool.Submit(ProcessTasks.AddDay, moment).Result(Timeout));
        Assert.Equal(1.0000000000000000000000000001m / 2, _pool.Submit(ProcessTasks.Half, 1.0000000000000000000000000001m).Result(Timeout));
        Assert.Equal(id, _pool.Submit(ProcessTasks.Same, id).Result(Timeout));
        int[] ascending = [1, 2, 3];
        Assert.Equal([3, 2, 1], _pool.Submit(ProcessTasks.Reverse, ascending).Result(Timeout));
        Assert.Equal(["A", "B"], _pool.Submit(ProcessTasks.Upper, new List<string> { "a", "b" }).Result(Timeout));
        var doubled = _pool.Submit(ProcessTasks.Doubled, new Measurement("load", 1.5, "kW")).Result(Timeout);
        Assert.Equal(new Measurement("load", 3.0, "kW"), doubled);
        Assert.Equal("load=1.5kW", _pool.Submit(ProcessTasks.Describe, new Measurement("load", 1.5, "kW")).Result(Timeout));
    }

    [Fact]
    public void TaskException_ComesBackAsTheSameTypeWithTheRemoteDetailsInside()
    {
        var future = _pool.Submit(ProcessTasks.ThrowCustom, "from the worker");

        var error = Assert.Throws<TaskSpecificException>(() => future.Result(Timeout));
        Assert.Equal("from the worker", error.Message);
        var remote = Assert.IsType<RemoteTaskException>(error.InnerException);
        Assert.Equal(typeof(TaskSpecificException).FullName, remote.RemoteType);
        Assert.Contains(nameof(ProcessTasks.ThrowCustom), remote.RemoteStackTrace, StringComparison.Ordinal);
        Assert.StartsWith("local-", remote.WorkerId, StringComparison.Ordinal);

        var standard = Assert.Throws<InvalidOperationException>(() => _pool.Submit(TestTasks.Throw, "standard").Result(Timeout));
        Assert.IsType<RemoteTaskException>(standard.InnerException);
    }

    [Fact]
    public void TaskException_ThatCannotBeRebuilt_ComesBackAsRemoteTaskException()
    {
        var error = Assert.Throws<RemoteTaskException>(() => _pool.Submit(ProcessTasks.ThrowWithoutRebuildableConstructor, "opaque").Result(Timeout));
        Assert.Equal(typeof(OpaqueTaskException).FullName, error.RemoteType);
        Assert.Contains("opaque", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ResultThatCannotBeSerialized_FailsThatFutureOnly()
    {
        var bad = _pool.Submit(ProcessTasks.CyclicResult);
        var good = _pool.Submit(TestTasks.Square, 5);

        var error = Assert.ThrowsAny<Exception>(() => bad.Result(Timeout));
        Assert.Contains(nameof(Node), error.ToString(), StringComparison.Ordinal);
        Assert.Equal(25, good.Result(Timeout));
    }

    [Fact]
    public void ArgumentThatCannotBeSerialized_FailsThatFutureOnly()
    {
        var cyclic = new Node();
        cyclic.Next = cyclic;

        var bad = _pool.Submit(ProcessTasks.TakesNode, cyclic);
        var good = _pool.Submit(ProcessTasks.TakesNode, new Node());

        var error = Assert.Throws<ArgumentException>(() => bad.Result(Timeout));
        Assert.Contains(nameof(ProcessTasks.TakesNode), error.Message, StringComparison.Ordinal);
        Assert.Contains("(Node node)", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, good.Result(Timeout));
    }

    [Fact]
    public void StreamArgument_FailsThatFutureNamingTheParameterAndItsType()
    {
        using var stream = new MemoryStream([1, 2, 3]);

        var error = Assert.Throws<ArgumentException>(() => _pool.Submit(ProcessTasks.StreamLength, (Stream)stream).Result(Timeout));

        Assert.Contains($"{nameof(ProcessTasks)}.{nameof(ProcessTasks.StreamLength)}", error.Message, StringComparison.Ordinal);
        Assert.Contains("(Stream input)", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, _pool.Submit(ProcessTasks.TakesNode, new Node()).Result(Timeout));
    }

    [Fact]
    public void Submit_ClosureOrPrivateMethod_ThrowsArgumentExceptionNamingTheMethod()
    {
        int captured = 2;
        var closure = Assert.Throws<ArgumentException>(() => _pool.Submit(() => captured * 2));
        Assert.Contains("captures", closure.Message, StringComparison.Ordinal);

        var hidden = Assert.Throws<ArgumentException>(() => _pool.Submit(Hidden, 1));
        Assert.Contains(nameof(Hidden), hidden.Message, StringComparison.Ordinal);
        Assert.Contains("not public", hidden.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Submit_LambdaThatCapturesNothing_Runs()
    {
        Assert.Equal(12, _pool.Submit(static (int x) => x * 3, 4).Result(Timeout));
    }

    [Fact]
    public void MapChunk_EveryItemGetsItsOwnOutcome()
    {
        var results = _pool.Map(ProcessTasks.ThrowIfNegative, [0, 1, 2, -3, 4], chunkSize: 5).GetEnumerator();

        Assert.True(results.MoveNext());
        Assert.Equal(0, results.Current);
        Assert.True(results.MoveNext());
        Assert.True(results.MoveNext());
        Assert.Equal(2, results.Current);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => results.MoveNext());
        Assert.Contains("negative on purpose", error.Message, StringComparison.Ordinal);
        results.Dispose();
    }

    [Fact]
    public void MapChunk_DisposedEarly_CancelsItemsNotStarted_EvenInsideTheRunningChunk()
    {
        using var pool = new ProcessPoolExecutor(maxWorkers: 1);
        using var gate = new TaskGate();
        int[] script = [TestTasks.Hold, TestTasks.Hold, TestTasks.Hold, TestTasks.Hold, 4, 5, 6, 7];

        var results = pool.Map(TestTasks.Act, Enumerable.Repeat(gate.Port, script.Length), script, chunkSize: 4).GetEnumerator();
        gate.WaitForArrivals(1);
        results.Dispose();
        gate.Open();
        pool.Shutdown(wait: true);

        // Item 0 of the first chunk was running; its three neighbours and the whole second chunk never started.
        Assert.Equal(1, gate.Arrivals);
    }

    [Fact]
    public void MapChunk_ItemFails_OthersOfTheChunkKeepTheirResults()
    {
        int[] values = [1, -2, 3, 4];
        var results = _pool.Map(ProcessTasks.ThrowIfNegative, values, chunkSize: 4).GetEnumerator();

        Assert.True(results.MoveNext());
        Assert.Equal(1, results.Current);
        Assert.Throws<ArgumentOutOfRangeException>(() => results.MoveNext());
        Assert.False(results.MoveNext());
    }

    [Fact]
    public void MapWithChunks_LargeInput_AllResultsInOrder()
    {
        var results = _pool.Map(TestTasks.Square, Enumerable.Range(0, 20_000), chunkSize: 1000).ToList();
        Assert.Equal(Enumerable.Range(0, 20_000).Select(i => i * i), results);
    }

    [Fact]
    public void UnknownMethodOnTheWire_FailsWithAClearErrorAndThePoolSurvives()
    {
        var runtime = StartedRuntime();
        var bogus = new FunctionRef
        {
            AssemblyName = typeof(TestTasks).Assembly.GetName().Name,
            AssemblyPath = typeof(TestTasks).Assembly.Location,
            TypeName = typeof(TestTasks).FullName,
            MethodName = "NoSuchMethod",
            Signature = "Int32 NoSuchMethod(Int32)",
        };

        var future = SubmitRaw<int>(runtime, bogus, IntColumn(1));

        var error = Assert.ThrowsAny<Exception>(() => future.Result(Timeout));
        Assert.Contains("NoSuchMethod", error.Message, StringComparison.Ordinal);
        Assert.Equal(9, _pool.Submit(TestTasks.Square, 3).Result(Timeout));
    }

    [Fact]
    public void MalformedPayload_FailsWithAClearErrorAndThePoolSurvives()
    {
        var runtime = StartedRuntime();
        var square = FunctionIdentity.Describe((Func<int, int>)TestTasks.Square);
        var strings = new Column { Count = 1 };
        strings.Strings.Add("not a number");

        var future = SubmitRaw<int>(runtime, square, strings);

        var error = Assert.ThrowsAny<Exception>(() => future.Result(Timeout));
        Assert.Contains("Int32", error.ToString(), StringComparison.Ordinal);
        Assert.Equal(16, _pool.Submit(TestTasks.Square, 4).Result(Timeout));
    }

    private static int Hidden(int value) => value;

    private static Column IntColumn(int value)
    {
        var column = new Column { Count = 1 };
        column.Ints.Add(value);
        return column;
    }

    private static Future<TResult> SubmitRaw<TResult>(PoolRuntime runtime, FunctionRef function, Column argument)
    {
        var unit = new CallUnit { Count = 1 };
        unit.Arguments.Add(argument);
        var future = new RemoteFuture<TResult>(runtime.Client, runtime.Client.Units.NextUnitId(), typeof(TResult));
        runtime.Client.Send(unit, function, future);
        return future;
    }

    private PoolRuntime StartedRuntime()
    {
        _pool.Submit(TestTasks.NoOp).Result(Timeout);
        return _pool.Runtime!;
    }
}
