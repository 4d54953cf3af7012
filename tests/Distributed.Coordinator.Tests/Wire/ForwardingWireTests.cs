using Distributed.Coordinator.Wire;
using Distributed.Protocol.V1;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Xunit;

namespace Distributed.Coordinator.Tests.Wire;

/// <summary>
/// The coordinator reads and writes the unit-carrying messages as its own forwarding types: they
/// must stay byte for byte the messages of protos/, or a field added there would be dropped here.
/// </summary>
public class ForwardingWireTests
{
    public static TheoryData<string, string> Pairs => new()
    {
        { ForwardedUnit.Descriptor.FullName, CallUnit.Descriptor.FullName },
        { ForwardedClientMessage.Descriptor.FullName, ClientMessage.Descriptor.FullName },
        { ForwardedCoordinatorMessage.Descriptor.FullName, CoordinatorMessage.Descriptor.FullName },
    };

    private static readonly Dictionary<string, MessageDescriptor> s_descriptors = new[]
    {
        ForwardedUnit.Descriptor, CallUnit.Descriptor, ForwardedClientMessage.Descriptor,
        ClientMessage.Descriptor, ForwardedCoordinatorMessage.Descriptor, CoordinatorMessage.Descriptor,
    }.ToDictionary(d => d.FullName);

    [Fact]
    public void ServedMethods_NameTheServicesAsTheProtosDeclareThem()
    {
        Assert.Equal(ForwardingMethods.ExecutorServiceName, ExecutorService.Descriptor.FullName);
        Assert.Equal(ForwardingMethods.WorkerHubName, WorkerHub.Descriptor.FullName);
        Assert.Equal($"/{ExecutorService.Descriptor.FullName}/Open", ForwardingMethods.ClientOpen.FullName);
        Assert.Equal($"/{WorkerHub.Descriptor.FullName}/Connect", ForwardingMethods.WorkerConnect.FullName);
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public void EveryField_MatchesTheOriginalByNumberNameAndType(string forwardedName, string originalName)
    {
        var forwarded = s_descriptors[forwardedName];
        var original = s_descriptors[originalName];
        Assert.Equal(
            original.Fields.InFieldNumberOrder().Select(f => (f.FieldNumber, f.Name)),
            forwarded.Fields.InFieldNumberOrder().Select(f => (f.FieldNumber, f.Name)));
        foreach (var field in original.Fields.InFieldNumberOrder())
        {
            var mirror = forwarded.FindFieldByNumber(field.FieldNumber);
            Assert.Equal(field.IsRepeated, mirror.IsRepeated);
            if (field.FieldType == FieldType.Message && field.MessageType.FullName == Column.Descriptor.FullName)
            {
                // The one difference: a column stays its bytes (the same wire type: length-delimited).
                Assert.Equal(FieldType.Bytes, mirror.FieldType);
            }
            else if (field.FieldType == FieldType.Message && field.MessageType.FullName == CallUnit.Descriptor.FullName)
            {
                Assert.Equal(ForwardedUnit.Descriptor.FullName, mirror.MessageType.FullName);
            }
            else
            {
                Assert.Equal(field.FieldType, mirror.FieldType);
                Assert.Equal(field.FieldType == FieldType.Message ? field.MessageType.FullName : null, mirror.FieldType == FieldType.Message ? mirror.MessageType.FullName : null);
            }
        }
    }

    [Fact]
    public void ClientMessage_ReadAsForwardedAndWrittenToAWorker_IsTheUnitTheClientSent()
    {
        var unit = new CallUnit { UnitId = 7, FunctionId = 3, Count = 2, MaxOutcomeBytes = 1000, ConfirmStart = true, Skip = { 1 } };
        unit.Arguments.Add(new Column { Count = 2, Ints = { 5, -6 } });
        unit.Arguments.Add(new Column { Count = 2, Strings = { "a", string.Empty }, NullIndexes = { 1 } });
        var sent = new ClientMessage { Units = { unit }, Hello = new ClientHello { MaxMessageBytes = 123 }, Heartbeat = true };

        var read = ForwardedClientMessage.Parser.ParseFrom(sent.ToByteArray());
        Assert.Equal(123u, read.Hello.MaxMessageBytes);
        var toWorker = new ForwardedCoordinatorMessage { Units = { read.Units }, Drain = true };
        var worker = CoordinatorMessage.Parser.ParseFrom(toWorker.ToByteArray());

        Assert.Equal(unit, worker.Units.Single());
        Assert.True(worker.Drain);
    }

    [Fact]
    public void UnitMadeInProcess_IsTheSameBytesAsOneThatArrived()
    {
        var unit = new CallUnit { UnitId = 9, Count = 1, Arguments = { new Column { Count = 1, Doubles = { 2.5 } } } };
        Assert.Equal(ForwardedUnit.Parser.ParseFrom(unit.ToByteArray()), ForwardedUnits.From(unit));
        Assert.Equal(unit.ToByteString(), ForwardedUnits.From(unit).ToByteString());
    }
}
