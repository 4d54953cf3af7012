using Distributed.Coordinator.Wire;
using Distributed.Protocol.Codec;
using Distributed.Protocol.V1;
using Google.Protobuf;
using Xunit;

namespace Distributed.Coordinator.Tests.Wire;

/// <summary>The census of an encoded column agrees with the decoded column's own count and values held, for every field.</summary>
public class ColumnCensusTests
{
    public static TheoryData<Column> Columns => new()
    {
        new Column(),
        new Column { Count = 3, Ints = { 0, -1, long.MinValue } },
        new Column { Count = 2, Uints = { ulong.MaxValue, 127 } },
        new Column { Count = 2, Doubles = { 1.5, double.NaN } },
        new Column { Count = 3, Floats = { 1, 2, 3 } },
        new Column { Count = 4, Bools = { true, false, true, true } },
        new Column { Count = 2, Strings = { "x", "yz" }, NullIndexes = { 0 } },
        new Column { Count = 1, Blobs = { ByteString.CopyFrom(1, 2, 3) } },
        new Column { Count = 2, Values = { new Value(), new Value() } },
        new Column { Count = 5, Ints = { 1, 2 } },
        new Column { Count = 1, Ints = { 1 }, Strings = { "stray" } },
    };

    [Theory]
    [MemberData(nameof(Columns))]
    public void Census_MatchesTheDecodedColumn(Column column)
    {
        var (count, held) = ColumnCensus.Of(column.ToByteString());
        Assert.Equal(column.Count, count);
        Assert.Equal(ColumnShape.HeldValues(column), held);
    }

    [Fact]
    public void Census_CountsUnpackedNumbers_AsAnotherEncoderMayWriteThem()
    {
        // Field 2 (ints), three values written one by one: tag 0x10, then each zigzag varint.
        var unpacked = ByteString.CopyFrom(0x08, 0x03, 0x10, 0x02, 0x10, 0x04, 0x10, 0x01);
        Assert.Equal(3, Column.Parser.ParseFrom(unpacked).Ints.Count);
        Assert.Equal((3ul, 3L), ColumnCensus.Of(unpacked));
    }

    [Fact]
    public void Census_OfBytesThatAreNoColumn_SaysSo()
    {
        Assert.Throws<InvalidProtocolBufferException>(() => ColumnCensus.Of(ByteString.CopyFrom(0x12, 0x05, 0x01)));
    }
}
