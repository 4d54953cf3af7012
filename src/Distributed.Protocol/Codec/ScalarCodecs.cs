using Distributed.Protocol.V1;
using Google.Protobuf;
using Google.Protobuf.Collections;

namespace Distributed.Protocol.Codec;

/// <summary>The other types with a packed column field of their own: bool, double, float, string and byte[].</summary>
internal static class ScalarCodecs
{
    public static TypeCodec? Create(Type declaredType, Type type)
    {
        if (type == typeof(bool))
        {
            return new BoolCodec(declaredType);
        }

        if (type == typeof(double))
        {
            return new DoubleCodec(declaredType);
        }

        if (type == typeof(float))
        {
            return new FloatCodec(declaredType);
        }

        if (type == typeof(string))
        {
            return new StringCodec(declaredType);
        }

        return type == typeof(byte[]) ? new BytesCodec(declaredType) : null;
    }

    private sealed class BoolCodec(Type declaredType) : BoolColumnCodec(declaredType)
    {
        protected override bool ToWire(object value) => (bool)value;

        protected override object FromWire(bool wire) => wire;
    }

    private sealed class DoubleCodec(Type declaredType) : PackedCodec<double>(declaredType)
    {
        public override ColumnField Field => ColumnField.Doubles;

        protected override RepeatedField<double> Items(Column column) => column.Doubles;

        protected override double ToWire(object value) => (double)value;

        protected override object FromWire(double wire) => wire;

        protected override Value ToValue(double wire) => new() { DoubleValue = wire };

        protected override bool TryGetWire(Value value, out double wire)
        {
            wire = value.DoubleValue;
            return value.KindCase == Value.KindOneofCase.DoubleValue;
        }
    }

    private sealed class FloatCodec(Type declaredType) : PackedCodec<float>(declaredType)
    {
        public override ColumnField Field => ColumnField.Floats;

        protected override RepeatedField<float> Items(Column column) => column.Floats;

        protected override float ToWire(object value) => (float)value;

        protected override object FromWire(float wire) => wire;

        protected override Value ToValue(float wire) => new() { FloatValue = wire };

        protected override bool TryGetWire(Value value, out float wire)
        {
            wire = value.FloatValue;
            return value.KindCase == Value.KindOneofCase.FloatValue;
        }
    }

    private sealed class StringCodec(Type declaredType) : PackedCodec<string>(declaredType)
    {
        public override ColumnField Field => ColumnField.Strings;

        protected override string Filler => string.Empty;

        protected override RepeatedField<string> Items(Column column) => column.Strings;

        protected override string ToWire(object value) => (string)value;

        protected override object FromWire(string wire) => wire;

        protected override Value ToValue(string wire) => new() { StringValue = wire };

        protected override bool TryGetWire(Value value, out string wire)
        {
            wire = value.StringValue;
            return value.KindCase == Value.KindOneofCase.StringValue;
        }
    }

    private sealed class BytesCodec(Type declaredType) : PackedCodec<ByteString>(declaredType)
    {
        public override ColumnField Field => ColumnField.Blobs;

        protected override ByteString Filler => ByteString.Empty;

        protected override RepeatedField<ByteString> Items(Column column) => column.Blobs;

        // Copied, not wrapped: the caller may change its array after submitting it.
        protected override ByteString ToWire(object value) => ByteString.CopyFrom((byte[])value);

        protected override object FromWire(ByteString wire) => wire.ToByteArray();

        protected override Value ToValue(ByteString wire) => new() { BytesValue = wire };

        protected override bool TryGetWire(Value value, out ByteString wire)
        {
            wire = value.BytesValue;
            return value.KindCase == Value.KindOneofCase.BytesValue;
        }
    }
}
