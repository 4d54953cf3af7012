using Distributed.Protocol.V1;

namespace Distributed.Protocol;

/// <summary>
/// Encodes one value by its declared type, and decodes it by the declared type on the other side
/// (both know it from the method signature; no type name travels). Supported, per API.md:
/// primitives, <c>string</c>, <c>byte[]</c>, <c>decimal</c>, <c>DateTime</c>, <c>DateTimeOffset</c>,
/// <c>TimeSpan</c>, <c>Guid</c>, enums, <c>Nullable&lt;T&gt;</c> of those, arrays and <c>List&lt;T&gt;</c>
/// of those (as a packed <see cref="Column"/>), any Protocol Buffers <c>IMessage</c> (its bytes),
/// and any other type through System.Text.Json. A declared type of <see cref="object"/> decodes to
/// the natural .NET value of whatever was sent (JSON to a <c>JsonElement</c>).
/// </summary>
public static class ValueCodec
{
    /// <exception cref="ValueCodecException">The value cannot be encoded as <paramref name="declaredType"/>.</exception>
    public static Value Encode(object? value, Type declaredType) => throw new NotImplementedException();

    /// <exception cref="ValueCodecException">The value does not fit <paramref name="declaredType"/>.</exception>
    public static object? Decode(Value value, Type declaredType) => throw new NotImplementedException();
}
