using System.Globalization;
using Distributed.Protocol.V1;
using Google.Protobuf;

namespace Distributed.Protocol.Codec;

/// <summary>
/// <c>decimal</c>, <see cref="Guid"/>, <see cref="DateTime"/> and <see cref="DateTimeOffset"/>: each
/// has a Value field of its own and sits in a column's <c>values</c>.
/// </summary>
internal static class StructCodecs
{
    private const int GuidLength = 16;

    public static TypeCodec? Create(Type declaredType, Type type)
    {
        if (type == typeof(decimal))
        {
            return new DecimalCodec(declaredType);
        }

        if (type == typeof(Guid))
        {
            return new GuidCodec(declaredType);
        }

        if (type == typeof(DateTime))
        {
            return new DateTimeCodec(declaredType);
        }

        return type == typeof(DateTimeOffset) ? new DateTimeOffsetCodec(declaredType) : null;
    }

    private sealed class DecimalCodec(Type declaredType) : TypeCodec(declaredType)
    {
        // Invariant text keeps every digit and the scale (1.50m stays 1.50m); a double would not.
        protected override Value EncodeValue(object value) =>
            new() { DecimalValue = ((decimal)value).ToString(CultureInfo.InvariantCulture) };

        protected override object? DecodeValue(Value value)
        {
            if (value.KindCase != Value.KindOneofCase.DecimalValue)
            {
                throw CodecErrors.Mismatch(DeclaredType, value);
            }

            return decimal.TryParse(value.DecimalValue, NumberStyles.Float, CultureInfo.InvariantCulture, out var result)
                ? result
                : throw CodecErrors.Invalid(DeclaredType, $"decimal_value \"{Truncate(value.DecimalValue)}\"");
        }

        private static string Truncate(string text) => text.Length <= 40 ? text : text[..40] + "...";
    }

    private sealed class GuidCodec(Type declaredType) : TypeCodec(declaredType)
    {
        protected override Value EncodeValue(object value)
        {
            Span<byte> bytes = stackalloc byte[GuidLength];
            ((Guid)value).TryWriteBytes(bytes);
            return new Value { BytesValue = ByteString.CopyFrom(bytes) };
        }

        protected override object? DecodeValue(Value value)
        {
            if (value.KindCase != Value.KindOneofCase.BytesValue)
            {
                throw CodecErrors.Mismatch(DeclaredType, value);
            }

            return value.BytesValue.Length == GuidLength
                ? new Guid(value.BytesValue.Span)
                : throw CodecErrors.Invalid(DeclaredType, $"a bytes_value of {value.BytesValue.Length} bytes (a Guid has {GuidLength})");
        }
    }

    private sealed class DateTimeCodec(Type declaredType) : TypeCodec(declaredType)
    {
        protected override Value EncodeValue(object value)
        {
            var dateTime = (DateTime)value;
            return new Value { DateTimeValue = new DateTimeValue { Ticks = dateTime.Ticks, Kind = (int)dateTime.Kind } };
        }

        protected override object? DecodeValue(Value value)
        {
            if (value.KindCase != Value.KindOneofCase.DateTimeValue)
            {
                throw CodecErrors.Mismatch(DeclaredType, value);
            }

            var wire = value.DateTimeValue;
            if (wire.Ticks < DateTime.MinValue.Ticks || wire.Ticks > DateTime.MaxValue.Ticks)
            {
                throw CodecErrors.OutOfRange(DeclaredType, wire.Ticks);
            }

            if (wire.Kind is < (int)DateTimeKind.Unspecified or > (int)DateTimeKind.Local)
            {
                throw CodecErrors.Invalid(DeclaredType, $"a date_time_value of kind {wire.Kind.ToString(CultureInfo.InvariantCulture)}");
            }

            return new DateTime(wire.Ticks, (DateTimeKind)wire.Kind);
        }
    }

    private sealed class DateTimeOffsetCodec(Type declaredType) : TypeCodec(declaredType)
    {
        protected override Value EncodeValue(object value)
        {
            var dateTime = (DateTimeOffset)value;
            return new Value
            {
                DateTimeOffsetValue = new DateTimeOffsetValue
                {
                    Ticks = dateTime.Ticks,
                    OffsetMinutes = dateTime.TotalOffsetMinutes,
                },
            };
        }

        protected override object? DecodeValue(Value value)
        {
            if (value.KindCase != Value.KindOneofCase.DateTimeOffsetValue)
            {
                throw CodecErrors.Mismatch(DeclaredType, value);
            }

            var wire = value.DateTimeOffsetValue;
            try
            {
                return new DateTimeOffset(wire.Ticks, TimeSpan.FromMinutes(wire.OffsetMinutes));
            }
            catch (ArgumentException)
            {
                // Covers ticks out of range, an offset past 14 hours and a UTC time out of range.
                throw CodecErrors.Invalid(
                    DeclaredType,
                    $"a date_time_offset_value of {wire.Ticks.ToString(CultureInfo.InvariantCulture)} ticks at offset {wire.OffsetMinutes.ToString(CultureInfo.InvariantCulture)} minutes");
            }
        }
    }
}
