using Distributed.Futures;
using Xunit;

namespace Distributed.Testing;

public abstract partial class ExecutorContractTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(1000)]
    public void Map_AnyChunkSize_YieldsResultsInInputOrder(int chunkSize)
    {
        var executor = NewExecutor();
        var results = executor.Map(TestTasks.Square, Enumerable.Range(0, 100), Timeout, chunkSize);
        Assert.Equal(Enumerable.Range(0, 100).Select(i => i * i), results);
    }

    [Fact]
    public void Map_EmptyInput_YieldsNothing()
    {
        var executor = NewExecutor();
        Assert.Empty(executor.Map(TestTasks.Square, Array.Empty<int>()));
    }

    [Fact]
    public void Map_TwoSequences_ZipsAndStopsAtTheShorter()
    {
        var executor = NewExecutor();
        Assert.Equal([11, 22], executor.Map(TestTasks.Add, [1, 2, 3], [10, 20]));
        Assert.Equal([11, 22], executor.Map(TestTasks.Add, [1, 2], [10, 20, 30]));
    }

    [Fact]
    public void Map_SubmitsAtTheCallBeforeAnyMoveNext()
    {
        var executor = NewExecutor(maxWorkers: 2);
        var gate = NewGate();

        var results = executor.Map(TestTasks.Act, Enumerable.Repeat(gate.Port, 2), [TestTasks.Hold, TestTasks.Hold]);
        gate.WaitForArrivals(2);
        gate.Open();

        Assert.Equal([TestTasks.Hold, TestTasks.Hold], results);
    }

    [Fact]
    public void Map_WithoutBuffer_ConsumesTheWholeInputAtTheCall()
    {
        var executor = NewExecutor();
        var input = new CountingSequence<int>(i => i, count: 50);

        var results = executor.Map(TestTasks.Identity, input);

        Assert.Equal(50, input.Pulled);
        Assert.True(input.Disposed);
        Assert.Equal(Enumerable.Range(0, 50), results);
    }

    [Fact]
    public void Map_TaskThrows_MoveNextReachingItThrowsAndTasksNotStartedAreCanceled()
    {
        var executor = NewExecutor(maxWorkers: 1);
        var gate = NewGate();
        int[] script = [5, TestTasks.Fail, TestTasks.Hold, .. Enumerable.Repeat(TestTasks.Hold, QueuedBehindBlocker)];

        using var results = executor.Map(TestTasks.Act, Enumerable.Repeat(gate.Port, script.Length), script).GetEnumerator();
        gate.WaitForArrivals(1);

        Assert.True(results.MoveNext());
        Assert.Equal(5, results.Current);
        var error = Assert.Throws<InvalidOperationException>(() => results.MoveNext());
        Assert.Contains(TestTasks.FailureMessage, error.Message, StringComparison.Ordinal);
        Assert.False(results.MoveNext());

        gate.Open();
        executor.Shutdown(wait: true);
        Assert.Equal(1, gate.Arrivals);
    }

    [Fact]
    public void Map_DeadlinePasses_MoveNextThrowsTimeoutAndRemainingTasksAreCanceled()
    {
        var executor = NewExecutor(maxWorkers: 1);
        var gate = NewGate();
        int[] script = [TestTasks.Hold, .. Enumerable.Repeat(TestTasks.Hold, QueuedBehindBlocker)];

        using var results = executor.Map(
            TestTasks.Act, Enumerable.Repeat(gate.Port, script.Length), script, timeout: TimeSpan.FromMilliseconds(200)).GetEnumerator();
        gate.WaitForArrivals(1);

        Assert.Throws<TimeoutException>(() => results.MoveNext());
        Assert.False(results.MoveNext());

        gate.Open();
        executor.Shutdown(wait: true);
        Assert.Equal(1, gate.Arrivals);
    }

    [Fact]
    public void Map_EnumeratorDisposedEarly_CancelsTasksNotStarted()
    {
        var executor = NewExecutor(maxWorkers: 1);
        var gate = NewGate();
        int[] script = [1, TestTasks.Hold, .. Enumerable.Repeat(TestTasks.Hold, QueuedBehindBlocker)];

        var results = executor.Map(TestTasks.Act, Enumerable.Repeat(gate.Port, script.Length), script).GetEnumerator();
        Assert.True(results.MoveNext());
        Assert.Equal(1, results.Current);
        gate.WaitForArrivals(1);
        results.Dispose();

        gate.Open();
        executor.Shutdown(wait: true);
        Assert.Equal(1, gate.Arrivals);
    }

    [Fact]
    public void Map_InvalidArguments_ThrowAtTheCall()
    {
        var executor = NewExecutor();
        int[] one = [1], two = [2];
        Assert.Throws<ArgumentOutOfRangeException>(() => executor.Map(TestTasks.Identity, one, chunkSize: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => executor.Map(TestTasks.Identity, one, bufferSize: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => executor.Map(TestTasks.Identity, one, bufferSize: -3));
        Assert.Throws<ArgumentOutOfRangeException>(() => executor.Map(TestTasks.Add, one, two, chunkSize: -1));
        Assert.Throws<ArgumentNullException>(() => executor.Map((Func<int, int>)null!, one));
        Assert.Throws<ArgumentNullException>(() => executor.Map(TestTasks.Identity, (IEnumerable<int>)null!));
    }

    [Fact]
    public void Map_AfterShutdown_ThrowsAtTheCall()
    {
        var executor = NewExecutor();
        executor.Shutdown();
        Assert.Throws<InvalidOperationException>(() => executor.Map(TestTasks.Identity, Enumerable.Range(1, 1)));
    }

    [Fact]
    public void Map_WithBuffer_ReadsOnlyThatFarAheadAndOneMorePerResultTaken()
    {
        var executor = NewExecutor();
        var input = new CountingSequence<int>(i => i, count: 20);

        using var results = executor.Map(TestTasks.Identity, input, bufferSize: 4).GetEnumerator();
        Assert.Equal(4, input.Pulled);

        for (int taken = 1; taken <= 10; taken++)
        {
            Assert.True(results.MoveNext());
            Assert.Equal(taken - 1, results.Current);
            Assert.Equal(4 + taken, input.Pulled);
        }
    }

    [Fact]
    public void Map_WithBufferOverInfiniteInput_Works()
    {
        var executor = NewExecutor();
        var input = new CountingSequence<int>(i => i);

        var first = executor.Map(TestTasks.Square, input, bufferSize: 8).Take(100).ToList();

        Assert.Equal(Enumerable.Range(0, 100).Select(i => i * i), first);
        Assert.InRange(input.Pulled, 100, 109);
        Assert.True(input.Disposed);
    }

    [Fact]
    public void Map_EnumeratedTwice_Throws()
    {
        var executor = NewExecutor();
        var results = executor.Map(TestTasks.Identity, [1, 2]);
        Assert.Equal([1, 2], results);
        Assert.Throws<InvalidOperationException>(() => results.GetEnumerator());
    }
}
