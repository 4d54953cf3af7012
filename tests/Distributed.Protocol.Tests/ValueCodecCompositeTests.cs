using System.Text.Json;
using Distributed.Protocol.V1;
using Google.Protobuf;

namespace Distributed.Protocol.Tests;

public sealed class ValueCodecCompositeTests
{
    [Fact]
    public void RoundTrip_IntArray_IsPackedColumn()
    {
        int[] value = [int.MinValue, -1, 0, 1, int.MaxValue];

        var wire = ValueCodec.Encode(value, typeof(int[]));

        Assert.Equal(Value.KindOneofCase.ColumnValue, wire.KindCase);
        Assert.Equal(5, wire.ColumnValue.Ints.Count);
        Assert.Empty(wire.ColumnValue.Values);
        Assert.Equal(value, ValueCodec.Decode(Wire.Reparse(wire), typeof(int[])));
    }

    [Fact]
    public void RoundTrip_ValueTuple_KeepsItsFields()
    {
        // Tuples are fields, not properties: without IncludeFields they would arrive as defaults.
        (int Pid, long Milliseconds, string Host) value = (4321, 1_234_567_890_123L, "worker-a");

        Assert.Equal(value, Wire.RoundTrip(value));
        Assert.Equal((1, "two"), Wire.RoundTrip((1, "two")));
    }

    [Fact]
    public void RoundTrip_StringArrayWithNulls_KeepsNullsAndEmptyStrings()
    {
        string?[] value = ["a", null, string.Empty, null, "z"];

        Assert.Equal(value, Wire.RoundTrip(value));
    }

    [Fact]
    public void RoundTrip_ListOfStringsWithNulls_ReturnsList()
    {
        List<string?> value = [null, "b", null];

        var decoded = Wire.RoundTrip(value);

        Assert.IsType<List<string?>>(decoded);
        Assert.Equal(value, decoded);
    }

    [Fact]
    public void RoundTrip_DoubleArrayWithSpecialValues_IsExact()
    {
        double[] value = [double.NaN, double.PositiveInfinity, double.NegativeInfinity, -0.0, double.MaxValue, double.Epsilon];

        var decoded = Wire.RoundTrip(value)!;

        Assert.Equal(value, decoded);
        Assert.True(double.IsNegative(decoded[3]));
    }

    [Fact]
    public void RoundTrip_GuidArrayAndList_AreEqual()
    {
        Guid[] array = [Guid.NewGuid(), Guid.Empty, Guid.NewGuid()];
        List<Guid> list = [.. array];

        Assert.Equal(array, Wire.RoundTrip(array));
        Assert.Equal(list, Wire.RoundTrip(list));
    }

    [Fact]
    public void RoundTrip_RecordArrayWithNull_IsEqual()
    {
        Person?[] value = [new("Ada", 36), null, new("Alan", 41)];

        Assert.Equal(value, Wire.RoundTrip(value));
    }

    [Fact]
    public void RoundTrip_ArraysOfEveryPackedType_AreEqual()
    {
        long[] longs = [1L, long.MinValue];
        ulong[] ulongs = [ulong.MaxValue, 0UL];
        float[] floats = [1.5f, float.NaN];
        bool[] bools = [true, false, true];
        char[] chars = ['a', 'ß'];
        Color[] colors = [Color.Red, Color.Blue];
        TimeSpan[] spans = [TimeSpan.Zero, TimeSpan.MaxValue];
        decimal[] decimals = [1.1m, 2.20m];

        Assert.Equal(longs, Wire.RoundTrip(longs));
        Assert.Equal(ulongs, Wire.RoundTrip(ulongs));
        Assert.Equal(floats, Wire.RoundTrip(floats));
        Assert.Equal(bools, Wire.RoundTrip(bools));
        Assert.Equal(chars, Wire.RoundTrip(chars));
        Assert.Equal(colors, Wire.RoundTrip(colors));
        Assert.Equal(spans, Wire.RoundTrip(spans));
        Assert.Equal(decimals, Wire.RoundTrip(decimals));
    }

    [Fact]
    public void RoundTrip_NullableIntArray_KeepsNulls()
    {
        int?[] value = [1, null, 3, null];

        var wire = ValueCodec.Encode(value, typeof(int?[]));

        Assert.Equal(4, wire.ColumnValue.Ints.Count);
        Assert.Equal([1u, 3u], wire.ColumnValue.NullIndexes);
        Assert.Equal(value, ValueCodec.Decode(Wire.Reparse(wire), typeof(int?[])));
    }

    [Fact]
    public void RoundTrip_ByteArrayArray_UsesBlobs()
    {
        byte[]?[] value = [[1, 2], null, []];

        var wire = ValueCodec.Encode(value, typeof(byte[][]));

        Assert.Equal(3, wire.ColumnValue.Blobs.Count);
        Assert.Equal(value, ValueCodec.Decode(Wire.Reparse(wire), typeof(byte[][])));
    }

    [Fact]
    public void RoundTrip_EmptyArrayAndList_StayEmptyNotNull()
    {
        var array = Wire.RoundTrip(Array.Empty<int>());
        var list = Wire.RoundTrip(new List<string>());

        Assert.NotNull(array);
        Assert.Empty(array);
        Assert.NotNull(list);
        Assert.Empty(list);
    }

    [Fact]
    public void RoundTrip_JaggedArray_NestsColumns()
    {
        int[]?[] value = [[1, 2, 3], null, []];

        var wire = ValueCodec.Encode(value, typeof(int[][]));

        Assert.Equal(3, wire.ColumnValue.Values.Count);
        Assert.Equal(value, ValueCodec.Decode(Wire.Reparse(wire), typeof(int[][])));
    }

    [Fact]
    public void RoundTrip_ProtobufMessage_UsesItsOwnBytes()
    {
        var value = new ErrorInfo
        {
            Kind = ErrorKind.Task,
            Type = "System.InvalidOperationException",
            Message = "boom",
            Inner = new ErrorInfo { Message = "inner" },
        };

        var wire = ValueCodec.Encode(value, typeof(ErrorInfo));
        var decoded = ValueCodec.Decode(Wire.Reparse(wire), typeof(ErrorInfo));

        Assert.Equal(Value.KindOneofCase.BytesValue, wire.KindCase);
        Assert.Equal(value.ToByteString(), wire.BytesValue);
        Assert.Equal(value, decoded);
    }

    [Fact]
    public void RoundTrip_ListOfMessages_IsEqual()
    {
        List<FunctionRef> value = [new() { MethodName = "A" }, new() { MethodName = "B", OnLambdaSingleton = true }];

        Assert.Equal(value, Wire.RoundTrip(value));
    }

    [Fact]
    public void RoundTrip_Record_ThroughJson()
    {
        var value = new Person("Grace", 85);

        var wire = ValueCodec.Encode(value, typeof(Person));

        Assert.Equal(Value.KindOneofCase.JsonValue, wire.KindCase);
        Assert.Equal(value, ValueCodec.Decode(Wire.Reparse(wire), typeof(Person)));
    }

    [Fact]
    public void RoundTrip_Class_ThroughJson()
    {
        var value = new Basket { Owner = "Ken", Items = ["egg", "milk"], Counts = { ["egg"] = 12 } };

        var decoded = Wire.RoundTrip(value)!;

        Assert.Equal("Ken", decoded.Owner);
        Assert.Equal(["egg", "milk"], decoded.Items);
        Assert.Equal(12, decoded.Counts["egg"]);
    }

    [Fact]
    public void RoundTrip_StructAndNullableStruct_ThroughJson()
    {
        var value = new Point { X = 3, Y = -4 };

        Assert.Equal(value, Wire.RoundTrip(value));
        Assert.Equal(value, Wire.RoundTrip<Point?>(value));
        Assert.Null(Wire.RoundTrip<Point?>(null));
    }

    [Fact]
    public void RoundTrip_Dictionary_ThroughJson()
    {
        var value = new Dictionary<string, double> { ["pi"] = 3.14, ["e"] = 2.72 };

        Assert.Equal(value, Wire.RoundTrip(value));
    }

    [Fact]
    public void Decode_ObjectDeclared_ReturnsNaturalValues()
    {
        Assert.Equal(42L, Wire.RoundTripAs(42, typeof(object)));
        Assert.Equal(ulong.MaxValue, Wire.RoundTripAs(ulong.MaxValue, typeof(object)));
        Assert.Equal(2.5, Wire.RoundTripAs(2.5, typeof(object)));
        Assert.Equal(2.5f, Wire.RoundTripAs(2.5f, typeof(object)));
        Assert.Equal(true, Wire.RoundTripAs(true, typeof(object)));
        Assert.Equal("text", Wire.RoundTripAs("text", typeof(object)));
        Assert.Equal(new byte[] { 7 }, Wire.RoundTripAs(new byte[] { 7 }, typeof(object)));
        Assert.Equal(1.10m, Wire.RoundTripAs(1.10m, typeof(object)));
        Assert.Equal(TimeSpan.FromSeconds(1).Ticks, Wire.RoundTripAs(TimeSpan.FromSeconds(1), typeof(object)));
        Assert.Equal((long)Access.Write, Wire.RoundTripAs(Access.Write, typeof(object)));
        Assert.Null(Wire.RoundTripAs(null, typeof(object)));

        var utc = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var decodedDate = Assert.IsType<DateTime>(Wire.RoundTripAs(utc, typeof(object)));
        Assert.Equal(DateTimeKind.Utc, decodedDate.Kind);
        var offset = new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.FromHours(-8));
        Assert.Equal(offset.Offset, Assert.IsType<DateTimeOffset>(Wire.RoundTripAs(offset, typeof(object))).Offset);
    }

    [Fact]
    public void Decode_ObjectDeclaredCollections_ReturnObjectArrays()
    {
        int[] ints = [1, 2];

        Assert.Equal(new object?[] { 1L, 2L }, Wire.RoundTripAs(ints, typeof(object)));
        Assert.Equal(new object?[] { "a", null }, Wire.RoundTripAs(new List<string?> { "a", null }, typeof(object)));
        Assert.Equal(new object?[] { 1L, null }, Wire.RoundTripAs(new int?[] { 1, null }, typeof(object)));
        Assert.Equal(new object?[] { 1L, "two", null }, Wire.RoundTripAs(new object?[] { 1, "two", null }, typeof(object)));
    }

    [Fact]
    public void Decode_ObjectDeclaredRecord_ReturnsJsonElement()
    {
        var decoded = Wire.RoundTripAs(new Person("Ada", 36), typeof(object));

        var element = Assert.IsType<JsonElement>(decoded);
        Assert.Equal("Ada", element.GetProperty("Name").GetString());
        Assert.Equal(36, element.GetProperty("Age").GetInt32());
    }

    [Fact]
    public void Encode_ObjectDeclaredPlainObject_IsEmptyJsonObject()
    {
        var wire = ValueCodec.Encode(new object(), typeof(object));

        Assert.Equal("{}", wire.JsonValue);
    }
}
