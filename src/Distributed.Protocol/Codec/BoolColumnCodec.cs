using Distributed.Protocol.V1;
using Google.Protobuf.Collections;

namespace Distributed.Protocol.Codec;

/// <summary>A type that travels in a column's packed bools: <see cref="bool"/> itself, and <see cref="CancellationToken"/>.</summary>
internal abstract class BoolColumnCodec(Type declaredType) : PackedCodec<bool>(declaredType)
{
    public override ColumnField Field => ColumnField.Bools;

    protected override RepeatedField<bool> Items(Column column) => column.Bools;

    protected override Value ToValue(bool wire) => new() { BoolValue = wire };

    protected override bool TryGetWire(Value value, out bool wire)
    {
        wire = value.BoolValue;
        return value.KindCase == Value.KindOneofCase.BoolValue;
    }
}
