using Distributed.Protocol.V1;

namespace Distributed.Protocol.Tests;

public sealed class ValueCodecScalarTests
{
    public static TheoryData<object, Type> Scalars => new()
    {
        { true, typeof(bool) },
        { false, typeof(bool) },
        { sbyte.MinValue, typeof(sbyte) },
        { sbyte.MaxValue, typeof(sbyte) },
        { short.MinValue, typeof(short) },
        { int.MinValue, typeof(int) },
        { int.MaxValue, typeof(int) },
        { long.MinValue, typeof(long) },
        { long.MaxValue, typeof(long) },
        { byte.MaxValue, typeof(byte) },
        { ushort.MaxValue, typeof(ushort) },
        { uint.MaxValue, typeof(uint) },
        { ulong.MaxValue, typeof(ulong) },
        { 'x', typeof(char) },
        { char.MaxValue, typeof(char) },
        { 3.25f, typeof(float) },
        { float.NegativeInfinity, typeof(float) },
        { double.NaN, typeof(double) },
        { double.PositiveInfinity, typeof(double) },
        { double.NegativeInfinity, typeof(double) },
        { double.Epsilon, typeof(double) },
        { -0.1, typeof(double) },
        { "héllo, wörld", typeof(string) },
        { string.Empty, typeof(string) },
        { TimeSpan.MinValue, typeof(TimeSpan) },
        { TimeSpan.FromTicks(-123456789), typeof(TimeSpan) },
        { TimeSpan.MaxValue, typeof(TimeSpan) },
        { Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e"), typeof(Guid) },
        { Guid.Empty, typeof(Guid) },
        { Color.Blue, typeof(Color) },
        { Access.Read | Access.Execute, typeof(Access) },
        { Offset.Minus, typeof(Offset) },
        { Huge.Max, typeof(Huge) },
    };

    [Theory]
    [MemberData(nameof(Scalars))]
    public void RoundTrip_Scalar_ReturnsEqualValueOfDeclaredType(object value, Type type)
    {
        var decoded = Wire.RoundTripAs(value, type);

        Assert.IsType(type, decoded);
        Assert.Equal(value, decoded);
    }

    [Fact]
    public void Encode_SignedIntegersAndTimeSpan_UseIntValue()
    {
        Assert.Equal(long.MinValue, ValueCodec.Encode(long.MinValue, typeof(long)).IntValue);
        Assert.Equal(-7, ValueCodec.Encode((short)-7, typeof(short)).IntValue);
        Assert.Equal(42, ValueCodec.Encode(TimeSpan.FromTicks(42), typeof(TimeSpan)).IntValue);
        Assert.Equal(-5, ValueCodec.Encode(Offset.Minus, typeof(Offset)).IntValue);
    }

    [Fact]
    public void Encode_UnsignedIntegersCharAndUnsignedEnums_UseUintValue()
    {
        Assert.Equal(ulong.MaxValue, ValueCodec.Encode(ulong.MaxValue, typeof(ulong)).UintValue);
        Assert.Equal('A', (char)ValueCodec.Encode('A', typeof(char)).UintValue);
        Assert.Equal(250UL, ValueCodec.Encode(Color.Blue, typeof(Color)).UintValue);
    }

    [Fact]
    public void RoundTrip_FlagsCombinationNotDeclared_KeepsEveryBit()
    {
        var value = (Access)0x7F;

        Assert.Equal(value, Wire.RoundTrip(value));
    }

    [Fact]
    public void RoundTrip_DecimalWith28Digits_IsExact()
    {
        decimal[] values = [0.1234567890123456789012345678m, decimal.MaxValue, decimal.MinValue, 1.50m, -0.0000000000000000000000000001m];

        foreach (var value in values)
        {
            var decoded = Wire.RoundTrip(value);
            Assert.Equal(value, decoded);

            // Equal decimals can differ in scale (1.5 and 1.50); the wire keeps it.
            Assert.Equal(value.Scale, decoded.Scale);
        }
    }

    [Theory]
    [InlineData(DateTimeKind.Utc)]
    [InlineData(DateTimeKind.Local)]
    [InlineData(DateTimeKind.Unspecified)]
    public void RoundTrip_DateTime_KeepsTicksAndKind(DateTimeKind kind)
    {
        var value = new DateTime(2024, 2, 29, 23, 59, 58, kind).AddTicks(1234567);

        var decoded = Wire.RoundTrip(value);

        Assert.Equal(value.Ticks, decoded.Ticks);
        Assert.Equal(kind, decoded.Kind);
    }

    [Fact]
    public void RoundTrip_DateTimeExtremes_AreExact()
    {
        Assert.Equal(DateTime.MinValue, Wire.RoundTrip(DateTime.MinValue));
        Assert.Equal(DateTime.MaxValue, Wire.RoundTrip(DateTime.MaxValue));
    }

    [Theory]
    [InlineData(5, 30)]
    [InlineData(-8, 0)]
    [InlineData(0, 0)]
    [InlineData(14, 0)]
    public void RoundTrip_DateTimeOffset_KeepsLocalTimeAndOffset(int hours, int minutes)
    {
        var offset = new TimeSpan(hours, minutes, 0);
        var value = new DateTimeOffset(2025, 1, 2, 3, 4, 5, 678, offset).AddTicks(9);

        var decoded = Wire.RoundTrip(value);

        Assert.Equal(value.Ticks, decoded.Ticks);
        Assert.Equal(offset, decoded.Offset);
    }

    [Fact]
    public void RoundTrip_Nullables_KeepNullAndValue()
    {
        Assert.Null(Wire.RoundTrip<int?>(null));
        Assert.Equal(-3, Wire.RoundTrip<int?>(-3));
        Assert.Null(Wire.RoundTrip<Guid?>(null));
        Assert.Equal(Guid.Parse("1e3a7b5c-0000-4000-8000-00000000abcd"), Wire.RoundTrip<Guid?>(Guid.Parse("1e3a7b5c-0000-4000-8000-00000000abcd")));
        Assert.Null(Wire.RoundTrip<Color?>(null));
        Assert.Equal(Color.Green, Wire.RoundTrip<Color?>(Color.Green));
        Assert.Null(Wire.RoundTrip<DateTime?>(null));
        Assert.Equal(TimeSpan.FromDays(1), Wire.RoundTrip<TimeSpan?>(TimeSpan.FromDays(1)));
        Assert.Null(Wire.RoundTrip<double?>(null));
        Assert.Equal(double.NaN, Wire.RoundTrip<double?>(double.NaN));
    }

    [Fact]
    public void Encode_NullNullable_IsNull()
    {
        Assert.Equal(Value.KindOneofCase.IsNull, ValueCodec.Encode(null, typeof(int?)).KindCase);
        Assert.Equal(Value.KindOneofCase.IsNull, ValueCodec.Encode(null, typeof(string)).KindCase);
    }

    [Fact]
    public void RoundTrip_NullReferences_StayNull()
    {
        Assert.Null(Wire.RoundTrip<string>(null));
        Assert.Null(Wire.RoundTrip<byte[]>(null));
        Assert.Null(Wire.RoundTrip<int[]>(null));
        Assert.Null(Wire.RoundTrip<List<string>>(null));
        Assert.Null(Wire.RoundTrip<Person>(null));
        Assert.Null(Wire.RoundTrip<ErrorInfo>(null));
    }

    [Fact]
    public void RoundTrip_Bytes_AreCopiedExactly()
    {
        byte[] value = [0, 1, 2, 255, 128];

        var wire = ValueCodec.Encode(value, typeof(byte[]));
        value[0] = 99;
        var decoded = (byte[]?)ValueCodec.Decode(Wire.Reparse(wire), typeof(byte[]));

        Assert.Equal(Value.KindOneofCase.BytesValue, wire.KindCase);
        Assert.Equal(new byte[] { 0, 1, 2, 255, 128 }, decoded);
    }

    [Fact]
    public void Encode_Guid_Is16Bytes()
    {
        var value = ValueCodec.Encode(Guid.NewGuid(), typeof(Guid));

        Assert.Equal(Value.KindOneofCase.BytesValue, value.KindCase);
        Assert.Equal(16, value.BytesValue.Length);
    }
}
