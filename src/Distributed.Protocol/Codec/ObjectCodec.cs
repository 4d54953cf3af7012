using Distributed.Protocol.V1;

namespace Distributed.Protocol.Codec;

/// <summary>
/// A value declared as <see cref="object"/>: sent by its runtime type, and read back as the natural
/// .NET value of whatever field arrived (<c>long</c> for <c>int_value</c>, <c>object?[]</c> for a
/// column, <c>JsonElement</c> for JSON), since the receiver knows no more than <c>object</c>.
/// </summary>
internal sealed class ObjectCodec() : TypeCodec(typeof(object))
{
    // A bare `new object()` has no codec of its own besides this one; JSON writes it as {}.
    private readonly JsonCodec _json = new(typeof(object));

    public override TypeCodec ReaderFor(Column column)
    {
        if (column.Ints.Count > 0)
        {
            return TypeCodecs.For(typeof(long));
        }

        if (column.Uints.Count > 0)
        {
            return TypeCodecs.For(typeof(ulong));
        }

        if (column.Doubles.Count > 0)
        {
            return TypeCodecs.For(typeof(double));
        }

        if (column.Floats.Count > 0)
        {
            return TypeCodecs.For(typeof(float));
        }

        if (column.Bools.Count > 0)
        {
            return TypeCodecs.For(typeof(bool));
        }

        if (column.Strings.Count > 0)
        {
            return TypeCodecs.For(typeof(string));
        }

        return column.Blobs.Count > 0 ? TypeCodecs.For(typeof(byte[])) : this;
    }

    protected override Value EncodeValue(object value)
    {
        var type = value.GetType();
        return type == typeof(object) ? _json.Encode(value) : TypeCodecs.For(type).Encode(value);
    }

    protected override object? DecodeValue(Value value) => value.KindCase switch
    {
        Value.KindOneofCase.BoolValue => value.BoolValue,
        Value.KindOneofCase.IntValue => value.IntValue,
        Value.KindOneofCase.UintValue => value.UintValue,
        Value.KindOneofCase.DoubleValue => value.DoubleValue,
        Value.KindOneofCase.FloatValue => value.FloatValue,
        Value.KindOneofCase.StringValue => value.StringValue,
        Value.KindOneofCase.BytesValue => value.BytesValue.ToByteArray(),
        Value.KindOneofCase.DecimalValue => TypeCodecs.For(typeof(decimal)).Decode(value),
        Value.KindOneofCase.DateTimeValue => TypeCodecs.For(typeof(DateTime)).Decode(value),
        Value.KindOneofCase.DateTimeOffsetValue => TypeCodecs.For(typeof(DateTimeOffset)).Decode(value),
        Value.KindOneofCase.ColumnValue => TypeCodecs.For(typeof(object[])).Decode(value),
        Value.KindOneofCase.JsonValue => _json.Decode(value),
        _ => throw CodecErrors.Mismatch(DeclaredType, value),
    };
}
