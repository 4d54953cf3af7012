using Distributed.Coordinator.Wire;
using Distributed.Protocol.Codec;
using Distributed.Protocol.V1;
using Google.Protobuf;

namespace Distributed.Coordinator.Tests.Wire;

/// <summary>
/// The coordinator's check of an argument against what a worker's parser makes of the same bytes:
/// for valid columns both agree on the count and the values held; for damaged ones, whatever the
/// check lets through the parser reads too (the check may refuse more, never less).
/// </summary>
public class ArgumentColumnsTests
{
    private static readonly Column[] s_columns =
    [
        new Column(),
        new Column { Count = 3, Ints = { 0, -1, long.MinValue } },
        new Column { Count = 2, Uints = { ulong.MaxValue, 127 } },
        new Column { Count = 2, Doubles = { 1.5, double.NaN } },
        new Column { Count = 3, Floats = { 1, 2, 3 } },
        new Column { Count = 4, Bools = { true, false, true, true } },
        new Column { Count = 2, Strings = { "x", "日本" }, NullIndexes = { 0 } },
        new Column { Count = 1, Blobs = { ByteString.CopyFrom(1, 2, 3) } },
        new Column { Count = 3, Values = { new Value(), new Value { DateTimeValue = new DateTimeValue { Ticks = 5, Kind = 1 } }, Nested(5) } },
        new Column { Count = 5, Ints = { 1, 2 } },
        new Column { Count = 1, Ints = { 1 }, Strings = { "stray" } },
    ];

    public static TheoryData<Column> Columns => [.. s_columns];

    [Fact]
    public void ColumnFields_AreTheDescriptorsFields()
    {
        Assert.Equal(
            Column.Descriptor.Fields.InFieldNumberOrder().Select(f => (f.FieldNumber, f.Name, f.FieldType, f.IsRepeated)),
            ColumnFields.All.Select(f => (f.Number, f.Name, f.Type, f.IsRepeated)));
        var values = ColumnFields.Find(Column.ValuesFieldNumber)!.Value;
        Assert.Same(Column.Descriptor.FindFieldByNumber(Column.ValuesFieldNumber).MessageType, values.MessageType());
        Assert.Null(ColumnFields.Find(0));
        Assert.Null(ColumnFields.Find(ColumnFields.All.Length + 1));
    }

    [Theory]
    [MemberData(nameof(Columns))]
    public void Check_AgreesWithTheDecodedColumn(Column column)
    {
        var (count, held) = ArgumentColumns.Check(column.ToByteString());
        Assert.Equal(column.Count, count);
        Assert.Equal(ColumnShape.HeldValues(column), held);
    }

    [Theory]
    [InlineData("08 03 10 02 10 04 10 01", 3u, 3L)] // ints written one by one, as another encoder may
    [InlineData("08 01 3A 01 78 15 00 00 80 3F", 1u, 1L)] // a string, and ints sent as fixed32 (an unknown field to the parser)
    [InlineData("08 02 F8 FF FF FF 0F 07", 2u, 0L)] // an unknown field of a large number
    public void Check_ReadsEncodingsOtherEncodersWrite(string hex, uint count, long held)
    {
        var bytes = Bytes(hex);
        var parsed = Column.Parser.ParseFrom(bytes);
        Assert.Equal((parsed.Count, (long)ColumnShape.HeldValues(parsed)), ArgumentColumns.Check(bytes));
        Assert.Equal((count, held), ArgumentColumns.Check(bytes));
    }

    [Theory]
    [InlineData("12 05 01")] // a length past the end
    [InlineData("08 01 12 02 02 80")] // a packed run ending mid-number
    [InlineData("08 01 22 05 00 00 00 00 00")] // packed doubles of 5 bytes
    [InlineData("08 01 2A 03 00 00 00")] // packed floats of 3 bytes
    [InlineData("08 01 4A 03 12 05 01")] // a Value with a length past its end inside
    [InlineData("08 FF FF FF FF FF FF FF FF FF FF 01")] // a number of 11 bytes
    [InlineData("00 01")] // field number 0
    [InlineData("08 01 3A 02 C3 28")] // a string that is not UTF-8
    public void Check_RefusesWhatTheParserRefuses(string hex)
    {
        var bytes = Bytes(hex);
        Assert.ThrowsAny<InvalidProtocolBufferException>(() => ParseAsAWorker(bytes));
        Assert.Throws<UnreadableColumnException>(() => ArgumentColumns.Check(bytes));
    }

    [Fact]
    public void ValuesNestedDeeperThanAWorkerReads_AreRefused_AndJustShallowerOnesRead()
    {
        Assert.Throws<UnreadableColumnException>(() => ArgumentColumns.Check(new Column { Count = 1, Values = { Nested(50) } }.ToByteString()));
        Assert.ThrowsAny<InvalidProtocolBufferException>(() => ParseAsAWorker(new Column { Count = 1, Values = { Nested(50) } }.ToByteString()));
        Assert.Equal((1u, 1L), ArgumentColumns.Check(new Column { Count = 1, Values = { Nested(49) } }.ToByteString()));
        ParseAsAWorker(new Column { Count = 1, Values = { Nested(49) } }.ToByteString());
    }

    [Fact]
    public void DamagedColumns_TheCheckLetsThrough_AreReadByTheParser_WithTheSameCounts()
    {
        var random = new Random(20261202);
        var samples = s_columns.Select(c => c.ToByteArray()).Where(b => b.Length > 0).ToList();
        int accepted = 0;
        for (int trial = 0; trial < 20_000; trial++)
        {
            byte[] bytes = [.. samples[random.Next(samples.Count)]];
            for (int damage = random.Next(1, 4); damage > 0; damage--)
            {
                bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            }

            var damaged = random.Next(4) == 0 ? bytes[..random.Next(bytes.Length)] : bytes;
            (uint Count, long Held) checkedCounts;
            try
            {
                checkedCounts = ArgumentColumns.Check(ByteString.CopyFrom(damaged));
            }
            catch (UnreadableColumnException)
            {
                continue;
            }

            accepted++;
            var parsed = ParseAsAWorker(ByteString.CopyFrom(damaged));
            Assert.Equal((parsed.Count, (long)ColumnShape.HeldValues(parsed)), checkedCounts);
        }

        Assert.True(accepted > 100, $"only {accepted} damaged columns were accepted: the comparison says little");
    }

    /// <summary>A Value holding a column holding a Value, <paramref name="depth"/> Values deep.</summary>
    private static Value Nested(int depth)
    {
        var value = new Value { IntValue = 1 };
        for (int i = 1; i < depth; i++)
        {
            value = new Value { ColumnValue = new Column { Count = 1, Values = { value } } };
        }

        return value;
    }

    /// <summary>Parses the column as a worker's reader would at its depth (two messages in, under the default limit of 100).</summary>
    private static Column ParseAsAWorker(ByteString bytes)
    {
        // CoordinatorMessage.units (field 3) holding a CallUnit whose arguments (field 4) are these bytes.
        byte[] unit = [.. new CallUnit { Count = 1 }.ToByteArray(), .. Tagged(4, bytes.ToByteArray())];
        var parsed = CoordinatorMessage.Parser.ParseFrom(Tagged(3, unit));
        return parsed.Units[0].Arguments[0];
    }

    private static byte[] Tagged(int field, byte[] body)
    {
        using var stream = new MemoryStream();
        var output = new CodedOutputStream(stream);
        output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(ByteString.CopyFrom(body));
        output.Flush();
        return stream.ToArray();
    }

    private static ByteString Bytes(string hex) => ByteString.CopyFrom(Convert.FromHexString(hex.Replace(" ", string.Empty, StringComparison.Ordinal)));
}
