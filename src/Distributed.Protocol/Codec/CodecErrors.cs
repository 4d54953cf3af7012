using System.Globalization;
using Distributed.Protocol.V1;

namespace Distributed.Protocol.Codec;

/// <summary>The messages of <see cref="ValueCodecException"/>: each names the declared type and what went wrong.</summary>
internal static class CodecErrors
{
    public static ValueCodecException Mismatch(Type declaredType, Value value) =>
        new($"Cannot decode {Describe(value)} as {TypeNames.Display(declaredType)}.");

    public static ValueCodecException OutOfRange<TWire>(Type declaredType, TWire wire)
        where TWire : IFormattable =>
        new($"Cannot decode {wire.ToString(null, CultureInfo.InvariantCulture)} as {TypeNames.Display(declaredType)}: it is out of range.");

    public static ValueCodecException Invalid(Type declaredType, string what) =>
        new($"Cannot decode {what} as {TypeNames.Display(declaredType)}.");

    public static ValueCodecException NullNotAllowed(Type declaredType, bool encoding) =>
        new($"Cannot {(encoding ? "encode" : "decode")} null as {TypeNames.Display(declaredType)}, which is not nullable.");

    public static ValueCodecException EmptyValue(Type declaredType) =>
        new($"Cannot decode an empty Value (no field set) as {TypeNames.Display(declaredType)}.");

    public static ValueCodecException WrongRuntimeType(Type declaredType, object value) =>
        new($"Cannot encode a value of type {TypeNames.Display(value.GetType())} as {TypeNames.Display(declaredType)}.");

    public static ValueCodecException Json(Type declaredType, Exception error, bool encoding) =>
        new($"Cannot {(encoding ? "encode" : "decode")} {TypeNames.Display(declaredType)} as JSON: {error.Message}", error);

    public static ValueCodecException Unsupported(Type declaredType, string reason) =>
        new($"Values of type {TypeNames.Display(declaredType)} cannot cross a process boundary: {reason}.");

    /// <summary>What arrived, for a message: the set field and, for short scalars, the value.</summary>
    public static string Describe(Value value) => value.KindCase switch
    {
        Value.KindOneofCase.None => "an empty Value",
        Value.KindOneofCase.IsNull => "null",
        Value.KindOneofCase.BoolValue => $"bool_value {value.BoolValue}",
        Value.KindOneofCase.IntValue => $"int_value {value.IntValue.ToString(CultureInfo.InvariantCulture)}",
        Value.KindOneofCase.UintValue => $"uint_value {value.UintValue.ToString(CultureInfo.InvariantCulture)}",
        Value.KindOneofCase.DoubleValue => $"double_value {value.DoubleValue.ToString(CultureInfo.InvariantCulture)}",
        Value.KindOneofCase.FloatValue => $"float_value {value.FloatValue.ToString(CultureInfo.InvariantCulture)}",
        Value.KindOneofCase.StringValue => $"a string_value of {value.StringValue.Length} characters",
        Value.KindOneofCase.BytesValue => $"a bytes_value of {value.BytesValue.Length} bytes",
        Value.KindOneofCase.DecimalValue => "a decimal_value",
        Value.KindOneofCase.DateTimeValue => "a date_time_value",
        Value.KindOneofCase.DateTimeOffsetValue => "a date_time_offset_value",
        Value.KindOneofCase.ColumnValue => $"a column_value of {value.ColumnValue.Count} values",
        Value.KindOneofCase.JsonValue => "a json_value",
        _ => $"an unknown field ({value.KindCase})",
    };
}
