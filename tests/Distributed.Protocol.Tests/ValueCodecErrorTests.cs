using Distributed.Protocol.V1;
using Google.Protobuf;

namespace Distributed.Protocol.Tests;

public sealed class ValueCodecErrorTests
{
    [Fact]
    public void Decode_StringForInt_ThrowsNamingTypeAndField()
    {
        var ex = Assert.Throws<ValueCodecException>(() => ValueCodec.Decode(new Value { StringValue = "12" }, typeof(int)));

        Assert.Contains("Int32", ex.Message, StringComparison.Ordinal);
        Assert.Contains("string_value", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(70000L, typeof(short))]
    [InlineData(-32769L, typeof(short))]
    [InlineData(128L, typeof(sbyte))]
    [InlineData(2147483648L, typeof(int))]
    [InlineData(-129L, typeof(Offset))]
    public void Decode_IntOutOfRange_Throws(long wire, Type type)
    {
        var ex = Assert.Throws<ValueCodecException>(() => ValueCodec.Decode(new Value { IntValue = wire }, type));

        Assert.Contains("out of range", ex.Message, StringComparison.Ordinal);
        Assert.Contains(type.Name, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(256UL, typeof(byte))]
    [InlineData(65536UL, typeof(ushort))]
    [InlineData(65536UL, typeof(char))]
    [InlineData(4294967296UL, typeof(uint))]
    [InlineData(256UL, typeof(Color))]
    public void Decode_UintOutOfRange_Throws(ulong wire, Type type)
    {
        var ex = Assert.Throws<ValueCodecException>(() => ValueCodec.Decode(new Value { UintValue = wire }, type));

        Assert.Contains("out of range", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_SignedFieldForUnsignedType_Throws()
    {
        Assert.Throws<ValueCodecException>(() => ValueCodec.Decode(new Value { IntValue = 1 }, typeof(byte)));
        Assert.Throws<ValueCodecException>(() => ValueCodec.Decode(new Value { UintValue = 1 }, typeof(int)));
    }

    [Fact]
    public void Decode_NullForNonNullable_Throws()
    {
        var ex = Assert.Throws<ValueCodecException>(() => ValueCodec.Decode(new Value { IsNull = true }, typeof(int)));

        Assert.Contains("not nullable", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_EmptyValue_Throws()
    {
        var ex = Assert.Throws<ValueCodecException>(() => ValueCodec.Decode(new Value(), typeof(string)));

        Assert.Contains("empty", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Encode_WrongRuntimeType_ThrowsNamingBothTypes()
    {
        var ex = Assert.Throws<ValueCodecException>(() => ValueCodec.Encode("abc", typeof(int)));

        Assert.Contains("String", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Int32", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Encode_NullForNonNullable_Throws()
    {
        Assert.Throws<ValueCodecException>(() => ValueCodec.Encode(null, typeof(Guid)));
    }

    [Fact]
    public void Encode_JsonCycle_ThrowsNamingType()
    {
        var node = new Node();
        node.Next = node;

        var ex = Assert.Throws<ValueCodecException>(() => ValueCodec.Encode(node, typeof(Node)));

        Assert.Contains(nameof(Node), ex.Message, StringComparison.Ordinal);
        Assert.NotNull(ex.InnerException);
    }

    [Fact]
    public void Decode_MalformedJson_ThrowsNamingType()
    {
        var ex = Assert.Throws<ValueCodecException>(() => ValueCodec.Decode(new Value { JsonValue = "{not json" }, typeof(Person)));

        Assert.Contains(nameof(Person), ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_InvalidStructuredValues_Throw()
    {
        Assert.Throws<ValueCodecException>(() => ValueCodec.Decode(new Value { BytesValue = ByteString.CopyFrom(1, 2, 3) }, typeof(Guid)));
        Assert.Throws<ValueCodecException>(() => ValueCodec.Decode(new Value { DecimalValue = "twelve" }, typeof(decimal)));
        Assert.Throws<ValueCodecException>(() => ValueCodec.Decode(new Value { DateTimeValue = new() { Ticks = 1, Kind = 7 } }, typeof(DateTime)));
        Assert.Throws<ValueCodecException>(() => ValueCodec.Decode(new Value { DateTimeValue = new() { Ticks = -1 } }, typeof(DateTime)));
        Assert.Throws<ValueCodecException>(() => ValueCodec.Decode(new Value { DateTimeOffsetValue = new() { Ticks = 1, OffsetMinutes = 15 * 60 } }, typeof(DateTimeOffset)));
        Assert.Throws<ValueCodecException>(() => ValueCodec.Decode(new Value { BytesValue = ByteString.CopyFrom(0xFF, 0xFF) }, typeof(ErrorInfo)));
    }

    [Fact]
    public void Decode_ColumnOfStringsForIntArray_Throws()
    {
        var column = new Column { Count = 1, Strings = { "1" } };

        var ex = Assert.Throws<ValueCodecException>(() => ValueCodec.Decode(new Value { ColumnValue = column }, typeof(int[])));

        Assert.Contains("Int32", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Encode_PointerOrByRefType_Throws()
    {
        Assert.Throws<ValueCodecException>(() => ValueCodec.Encode(0, typeof(int).MakeByRefType()));
        Assert.Throws<ValueCodecException>(() => ValueCodec.Encode(null, typeof(List<>)));
    }
}
