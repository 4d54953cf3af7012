using Distributed.Protocol.Codec;
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
    /// <summary>Encodes <paramref name="value"/> as a value of <paramref name="declaredType"/>.</summary>
    /// <param name="value">The value; null becomes <c>is_null</c> where the type allows it.</param>
    /// <param name="declaredType">The type both sides know from the method signature.</param>
    /// <exception cref="ArgumentNullException"><paramref name="declaredType"/> is null.</exception>
    /// <exception cref="ValueCodecException">The value cannot be encoded as <paramref name="declaredType"/>.</exception>
    public static Value Encode(object? value, Type declaredType)
    {
        ArgumentNullException.ThrowIfNull(declaredType);
        return TypeCodecs.For(declaredType).Encode(value);
    }

    /// <summary>Decodes <paramref name="value"/> as a value of <paramref name="declaredType"/>.</summary>
    /// <param name="value">The value that arrived.</param>
    /// <param name="declaredType">The type both sides know from the method signature.</param>
    /// <returns>A value of <paramref name="declaredType"/> (boxed), or null.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ValueCodecException">The value does not fit <paramref name="declaredType"/>.</exception>
    public static object? Decode(Value value, Type declaredType)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(declaredType);
        return TypeCodecs.For(declaredType).Decode(value);
    }
}
