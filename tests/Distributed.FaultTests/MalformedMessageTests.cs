using Distributed.Futures;
using Distributed.Protocol;
using Distributed.Protocol.V1;
using Distributed.Testing;
using Google.Protobuf;
using Grpc.Core;

namespace Distributed.FaultTests;

/// <summary>
/// Messages made by hand: a truncated frame or bytes that are not protobuf end that one call with
/// an error status that says what was wrong (and a warning in the log); a unit whose counts lie is
/// refused at once, to its sender, before anything is allocated from the lie; so is a unit whose
/// argument is not a column, and the next unit on that stream runs. The coordinator and
/// everyone else are untouched.
/// </summary>
[Collection(OneFaultAtATime.Name)]
public sealed class MalformedMessageTests : IDisposable
{
    private static readonly TimeSpan Timeout = TestTimeouts.Default;
    private readonly ProgramProcess _coordinator;
    private readonly string _address;
    private readonly RemoteExecutor _member;

    public MalformedMessageTests()
    {
        _coordinator = ProgramProcess.StartCoordinator(["--workers", "1", "--assembly", typeof(TestTasks).Assembly.Location], out _address);
        _member = new RemoteExecutor(_address);
        Assert.Equal(1, _member.Submit(TestTasks.Identity, 1).Result(Timeout));
    }

    public void Dispose()
    {
        _member.Dispose();
        _coordinator.Dispose();
    }

    public static TheoryData<string, string> Services => new()
    {
        { "distributed.v1.ExecutorService/Open", "client" },
        { "distributed.v1.WorkerHub/Connect", "worker" },
    };

    [Theory]
    [MemberData(nameof(Services))]
    public async Task TruncatedFrame_IsAnsweredWithAnErrorStatus(string method, string who)
    {
        var (status, message) = await RawGrpc.CallAsync(_address, method, RawGrpc.Frame([8, 1, 16, 2], claimedLength: 100));

        Assert.True(status is (int)StatusCode.InvalidArgument or (int)StatusCode.Internal, $"grpc-status {status}: {message}");
        Assert.False(string.IsNullOrWhiteSpace(message));
        AssertStillServing(who, "could not read");
    }

    [Theory]
    [MemberData(nameof(Services))]
    public async Task BytesThatAreNotProtobuf_AreAnsweredWithInvalidArgument(string method, string who)
    {
        var (status, message) = await RawGrpc.CallAsync(_address, method, RawGrpc.Frame([0xFF, 0xFF, 0xFF, 0xFF, 0x0F]));

        Assert.Equal((int)StatusCode.InvalidArgument, status);
        Assert.Contains("could not read", message, StringComparison.Ordinal);
        AssertStillServing(who, "could not read");
    }

    [Theory]
    [InlineData(1_000_000u)]
    [InlineData(4_000_000_000u)]
    public async Task UnitWhoseCountLies_IsRefusedToItsSenderAtOnce(uint claimedItems)
    {
        using var channel = CoordinatorAddress.Parse(_address).CreateChannel(ProtocolInfo.DefaultMaxMessageBytes, TimeSpan.FromSeconds(20));
        using var call = new ExecutorService.ExecutorServiceClient(channel).Open();
        var unit = new CallUnit { UnitId = 7, FunctionId = 0, Count = claimedItems };
        unit.Arguments.Add(new Column { Count = claimedItems, Ints = { 5 } });
        var message = new ClientMessage { Hello = new ClientHello { MaxMessageBytes = (uint)ProtocolInfo.DefaultMaxMessageBytes } };
        message.Functions.Add(new FunctionDefinition { FunctionId = 0, Function = FunctionIdentity.Describe(new Func<int, int>(TestTasks.Square)) });
        message.Units.Add(unit);

        await call.RequestStream.WriteAsync(message);

        var rejected = await NextRejectedAsync(call.ResponseStream).WaitAsync(Timeout);
        Assert.Equal(7u, rejected.UnitId);
        Assert.Contains($"{claimedItems:N0}", rejected.Error.Message, StringComparison.Ordinal);
        await call.RequestStream.CompleteAsync();
        AssertStillServing("client", "Rejected unit");
    }

    [Theory]
    [InlineData("12 05 01")] // a field claiming 5 bytes, with 1 there
    [InlineData("08 01 12 02 02 80")] // a packed run of ints ending mid-varint (it counts one value)
    [InlineData("08 01 22 05 00 00 00 00 00")] // packed doubles, 5 bytes
    [InlineData("08 01 4A 03 12 05 01")] // one Value, itself garbage inside
    public async Task UnitWhoseArgumentIsNoColumn_IsRefusedAndTheStreamServesOn(string column)
    {
        // The coordinator forwards arguments as bytes: it must still tell a column from garbage,
        // refuse that unit alone, and go on with the next one on the same stream.
        var raw = new Method<byte[], ClientEvent>(
            MethodType.DuplexStreaming,
            "distributed.v1.ExecutorService",
            "Open",
            Marshallers.Create<byte[]>(bytes => bytes, bytes => bytes),
            Marshallers.Create<ClientEvent>(e => e.ToByteArray(), ClientEvent.Parser.ParseFrom));
        using var channel = CoordinatorAddress.Parse(_address).CreateChannel(ProtocolInfo.DefaultMaxMessageBytes, TimeSpan.FromSeconds(20));
        using var call = channel.CreateCallInvoker().AsyncDuplexStreamingCall(raw, null, default);
        var message = new ClientMessage { Hello = new ClientHello { MaxMessageBytes = (uint)ProtocolInfo.DefaultMaxMessageBytes } };
        message.Functions.Add(new FunctionDefinition { FunctionId = 0, Function = FunctionIdentity.Describe(new Func<int, int>(TestTasks.Square)) });
        var good = new CallUnit { UnitId = 9, FunctionId = 0, Count = 1, Arguments = { new Column { Count = 1, Ints = { 6 } } } };

        // Unit 8: field 4 (an argument) holds bytes no worker could read as a column. Were they
        // forwarded, every worker given them would fail to read its stream and be lost.
        byte[] argument = Convert.FromHexString(column.Replace(" ", string.Empty, StringComparison.Ordinal));
        byte[] bad = [.. new CallUnit { UnitId = 8, FunctionId = 0, Count = 1 }.ToByteArray(), 0x22, (byte)argument.Length, .. argument];
        byte[] bytes = [.. message.ToByteArray(), 0x12, (byte)bad.Length, .. bad, .. new ClientMessage { Units = { good } }.ToByteArray()];

        await call.RequestStream.WriteAsync(bytes);

        var rejected = await NextRejectedAsync(call.ResponseStream).WaitAsync(Timeout);
        Assert.Equal(8u, rejected.UnitId);
        Assert.Contains("Argument 0 of unit 8 is not a readable column", rejected.Error.Message, StringComparison.Ordinal);
        var outcome = await NextOutcomeAsync(call.ResponseStream).WaitAsync(Timeout);
        Assert.Equal(9u, outcome.UnitId);
        Assert.Equal(36, ResultOf(outcome));
        await call.RequestStream.CompleteAsync();
        AssertStillServing("client", "Rejected unit");
    }

    private static int ResultOf(UnitOutcome outcome) => (int)Assert.Single(outcome.Results.Ints);

    private static async Task<UnitOutcome> NextOutcomeAsync(IAsyncStreamReader<ClientEvent> events)
    {
        while (await events.MoveNext())
        {
            if (events.Current.Outcomes.Count > 0)
            {
                return events.Current.Outcomes[0];
            }
        }

        throw new InvalidOperationException("The stream ended without an outcome.");
    }

    private static async Task<RejectedUnit> NextRejectedAsync(IAsyncStreamReader<ClientEvent> events)
    {
        while (await events.MoveNext())
        {
            if (events.Current.Rejected.Count > 0)
            {
                return events.Current.Rejected[0];
            }
        }

        throw new InvalidOperationException("The stream ended without a rejection.");
    }

    private void AssertStillServing(string who, string logged)
    {
        Assert.Equal(49, _member.Submit(TestTasks.Square, 7).Result(Timeout));
        string line = _coordinator.WaitForLine(logged);
        Assert.Contains(who, line, StringComparison.OrdinalIgnoreCase);
        Assert.False(_coordinator.HasExited);
    }
}
