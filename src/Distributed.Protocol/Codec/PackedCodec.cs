using Distributed.Protocol.V1;
using Google.Protobuf.Collections;

namespace Distributed.Protocol.Codec;

/// <summary>
/// A type whose column items go to one packed repeated field of wire type <typeparamref name="TWire"/>,
/// with nulls as a filler slot listed in <c>null_indexes</c>.
/// </summary>
internal abstract class PackedCodec<TWire>(Type declaredType) : TypeCodec(declaredType)
{
    /// <summary>The slot written for a null or a placeholder (protobuf rejects null strings and bytes).</summary>
    protected virtual TWire Filler => default!;

    public sealed override object? Read(Column column, int index) => FromWire(Items(column)[index]);

    protected abstract RepeatedField<TWire> Items(Column column);

    protected abstract TWire ToWire(object value);

    /// <summary>Converts a wire item to the declared type, checking its range.</summary>
    protected abstract object FromWire(TWire wire);

    protected abstract Value ToValue(TWire wire);

    /// <summary>The wire item held by <paramref name="value"/>, if the set field is this type's.</summary>
    protected abstract bool TryGetWire(Value value, out TWire wire);

    protected sealed override Value EncodeValue(object value) => ToValue(ToWire(value));

    protected sealed override object? DecodeValue(Value value) =>
        TryGetWire(value, out var wire) ? FromWire(wire) : throw CodecErrors.Mismatch(DeclaredType, value);

    protected sealed override void AppendValue(Column column, object value) => Items(column).Add(ToWire(value));

    protected sealed override void AppendNull(Column column, int index)
    {
        Items(column).Add(Filler);
        column.NullIndexes.Add((uint)index);
    }

    protected sealed override void AppendDefault(Column column) => Items(column).Add(Filler);
}
