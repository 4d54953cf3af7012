using System.Text.Json;
using Distributed.Protocol.V1;

namespace Distributed.Protocol.Codec;

/// <summary>
/// Every type without a wire form of its own: System.Text.Json text. Fields are included, so that
/// value tuples and field-based structs (a natural way to return two things) keep their values
/// instead of arriving as defaults; otherwise the serializer's defaults apply.
/// </summary>
internal sealed class JsonCodec(Type declaredType) : TypeCodec(declaredType)
{
    private static readonly JsonSerializerOptions s_options = new() { IncludeFields = true };

    protected override Value EncodeValue(object value)
    {
        try
        {
            return new Value { JsonValue = JsonSerializer.Serialize(value, DeclaredType, s_options) };
        }
        catch (Exception e) when (IsSerializationFailure(e))
        {
            throw CodecErrors.Json(DeclaredType, e, encoding: true);
        }
    }

    protected override object? DecodeValue(Value value)
    {
        if (value.KindCase != Value.KindOneofCase.JsonValue)
        {
            throw CodecErrors.Mismatch(DeclaredType, value);
        }

        try
        {
            return JsonSerializer.Deserialize(value.JsonValue, DeclaredType, s_options);
        }
        catch (Exception e) when (IsSerializationFailure(e))
        {
            throw CodecErrors.Json(DeclaredType, e, encoding: false);
        }
    }

    // Besides JsonException and NotSupportedException, a property getter or constructor of the
    // user's type may throw anything; that too fails this one value, not the caller's process.
    private static bool IsSerializationFailure(Exception e) =>
        e is not (OutOfMemoryException or StackOverflowException or ThreadAbortException);
}
