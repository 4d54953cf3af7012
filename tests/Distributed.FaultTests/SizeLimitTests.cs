using Distributed.Futures;
using Distributed.Protocol;
using Distributed.Testing;

namespace Distributed.FaultTests;

/// <summary>
/// A call or a result larger than a message fails that one future, with an error that names its
/// size and the limit; the worker, the connection and every other future go on. A Map chunk whose
/// results fit one by one but not together arrives whole, in several messages.
/// </summary>
[Collection(OneFaultAtATime.Name)]
public sealed class SizeLimitTests
{
    private const int Limit = 1024 * 1024;
    private static readonly TimeSpan Timeout = TestTimeouts.Default;

    [Fact]
    public void EmbeddedPool_ResultLargerThanTheDefaultLimit_FailsThatFutureAndTheWorkerGoesOn()
    {
        using var pool = new ProcessPoolExecutor(maxWorkers: 1);
        int worker = pool.Submit(TestTasks.CurrentProcessId).Result(Timeout);

        var huge = pool.Submit(ProcessTasks.Bytes, 70 * 1024 * 1024);

        var error = Assert.Throws<ValueCodecException>(() => huge.Result(Timeout));
        Assert.Contains("73,400,", error.Message, StringComparison.Ordinal);
        Assert.Contains($"{ProtocolInfo.DefaultMaxMessageBytes:N0}", error.Message, StringComparison.Ordinal);
        Assert.Equal(worker, pool.Submit(TestTasks.CurrentProcessId).Result(Timeout));
    }

    [Fact]
    public void EmbeddedPool_OversizedCallAndResult_FailTheirOwnFuturesOnly()
    {
        using var pool = new ProcessPoolExecutor(new ProcessPoolOptions { MaxWorkers = 1, MaxMessageBytes = Limit });
        int worker = pool.Submit(TestTasks.CurrentProcessId).Result(Timeout);

        var bigCall = pool.Submit(ProcessTasks.LengthOf, new byte[2 * Limit]);
        var bigResult = pool.Submit(ProcessTasks.Bytes, 2 * Limit);
        var fine = pool.Submit(ProcessTasks.Bytes, Limit / 2);

        var callError = Assert.Throws<ArgumentException>(() => bigCall.Result(Timeout));
        Assert.Contains("ProcessPoolOptions.MaxMessageBytes", callError.Message, StringComparison.Ordinal);
        Assert.Contains("2,097,", callError.Message, StringComparison.Ordinal);
        var resultError = Assert.Throws<ValueCodecException>(() => bigResult.Result(Timeout));
        Assert.Contains("2,097,", resultError.Message, StringComparison.Ordinal);
        Assert.Contains($"{Limit:N0}", resultError.Message, StringComparison.Ordinal);
        Assert.Equal(ProcessTasks.Bytes(Limit / 2), fine.Result(Timeout));
        Assert.Equal(worker, pool.Submit(TestTasks.CurrentProcessId).Result(Timeout));
    }

    [Fact]
    public void EmbeddedPool_MapChunkTooLargeOnlyAsAWhole_ArrivesWhole()
    {
        using var pool = new ProcessPoolExecutor(new ProcessPoolOptions { MaxWorkers = 1, MaxMessageBytes = Limit });
        var lengths = Enumerable.Range(0, 12).Select(i => (Limit / 4) + i).ToList();

        var results = pool.Map(ProcessTasks.Bytes, lengths, chunkSize: 12).ToList();

        Assert.Equal(lengths, results.Select(r => r.Length));
        Assert.All(results, r => Assert.Equal(ProcessTasks.Bytes(r.Length), r));
    }

    [Fact]
    public void Cluster_CallOverTheCoordinatorsLimitAndResultOverTheClientsLimit_FailAloneWhileTheConnectionServesOn()
    {
        using var coordinator = ProgramProcess.StartCoordinator(
            ["--workers", "1", "--max-message-bytes", $"{Limit}", "--assembly", typeof(TestTasks).Assembly.Location], out string address);
        using var roomy = new RemoteExecutor(address, new RemoteExecutorOptions { MaxMessageBytes = 8 * Limit });
        using var narrow = new RemoteExecutor(address, new RemoteExecutorOptions { MaxMessageBytes = Limit / 4 });
        Assert.Equal(1, roomy.Submit(TestTasks.Identity, 1).Result(Timeout));

        var bigCall = roomy.Submit(ProcessTasks.LengthOf, new byte[2 * Limit]);
        var bigResult = roomy.Submit(ProcessTasks.Bytes, 2 * Limit);
        var tooBigForNarrow = narrow.Submit(ProcessTasks.Bytes, Limit / 2);
        var chunks = narrow.Map(ProcessTasks.Bytes, Enumerable.Range(0, 8).Select(i => (Limit / 16) + i), chunkSize: 8).ToList();

        var callError = Assert.Throws<ArgumentException>(() => bigCall.Result(Timeout));
        Assert.Contains("--max-message-bytes", callError.Message, StringComparison.Ordinal);
        var resultError = Assert.Throws<ValueCodecException>(() => bigResult.Result(Timeout));
        Assert.Contains($"{Limit:N0}", resultError.Message, StringComparison.Ordinal);
        var narrowError = Assert.Throws<ValueCodecException>(() => tooBigForNarrow.Result(Timeout));
        Assert.Contains($"{Limit / 4:N0}", narrowError.Message, StringComparison.Ordinal);
        Assert.Equal(Enumerable.Range(0, 8).Select(i => (Limit / 16) + i), chunks.Select(c => c.Length));
        Assert.Equal(49, roomy.Submit(TestTasks.Square, 7).Result(Timeout));
        Assert.Equal(36, narrow.Submit(TestTasks.Square, 6).Result(Timeout));
    }
}
