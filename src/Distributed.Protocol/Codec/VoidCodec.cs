using Distributed.Protocol.V1;

namespace Distributed.Protocol.Codec;

/// <summary>The "result" of a method that returns nothing: every item is null and no field is written.</summary>
internal sealed class VoidCodec() : TypeCodec(typeof(void), allowsNull: true)
{
    public override ColumnField Field => ColumnField.None;

    public override object? Read(Column column, int index) => null;

    protected override Value EncodeValue(object value) =>
        throw new ValueCodecException($"A method that returns void has no value, but a {TypeNames.Display(value.GetType())} was given.");

    protected override object? DecodeValue(Value value) => throw CodecErrors.Mismatch(DeclaredType, value);

    protected override void AppendNull(Column column, int index)
    {
    }

    protected override void AppendDefault(Column column)
    {
    }
}
