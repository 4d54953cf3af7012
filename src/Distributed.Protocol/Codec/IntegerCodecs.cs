using Distributed.Protocol.V1;
using Google.Protobuf.Collections;

namespace Distributed.Protocol.Codec;

/// <summary>
/// Integers, <c>char</c>, <see cref="TimeSpan"/> and enums: signed ones as <c>int_value</c> and in
/// <c>ints</c>, unsigned ones as <c>uint_value</c> and in <c>uints</c>, range-checked on the way in.
/// </summary>
internal static class IntegerCodecs
{
    /// <summary>The codec for <paramref name="type"/> (the declared type without Nullable), or null if it is not integral.</summary>
    public static TypeCodec? Create(Type declaredType, Type type)
    {
        if (type == typeof(TimeSpan))
        {
            return new SignedCodec(declaredType, long.MinValue, long.MaxValue, v => ((TimeSpan)v).Ticks, w => new TimeSpan(w));
        }

        // A boxed enum unboxes as its underlying type, so only the way back needs its own conversion.
        Func<long, object>? signedEnum = type.IsEnum ? w => Enum.ToObject(type, w) : null;
        Func<ulong, object>? unsignedEnum = type.IsEnum ? w => Enum.ToObject(type, w) : null;
        return Type.GetTypeCode(type) switch
        {
            TypeCode.SByte => new SignedCodec(declaredType, sbyte.MinValue, sbyte.MaxValue, v => (sbyte)v, signedEnum ?? (w => (sbyte)w)),
            TypeCode.Int16 => new SignedCodec(declaredType, short.MinValue, short.MaxValue, v => (short)v, signedEnum ?? (w => (short)w)),
            TypeCode.Int32 => new SignedCodec(declaredType, int.MinValue, int.MaxValue, v => (int)v, signedEnum ?? (w => (int)w)),
            TypeCode.Int64 => new SignedCodec(declaredType, long.MinValue, long.MaxValue, v => (long)v, signedEnum ?? (w => w)),
            TypeCode.Byte => new UnsignedCodec(declaredType, byte.MaxValue, v => (byte)v, unsignedEnum ?? (w => (byte)w)),
            TypeCode.UInt16 => new UnsignedCodec(declaredType, ushort.MaxValue, v => (ushort)v, unsignedEnum ?? (w => (ushort)w)),
            TypeCode.UInt32 => new UnsignedCodec(declaredType, uint.MaxValue, v => (uint)v, unsignedEnum ?? (w => (uint)w)),
            TypeCode.UInt64 => new UnsignedCodec(declaredType, ulong.MaxValue, v => (ulong)v, unsignedEnum ?? (w => w)),
            TypeCode.Char => new UnsignedCodec(declaredType, char.MaxValue, v => (char)v, unsignedEnum ?? (w => (char)w)),
            _ => null,
        };
    }

    private sealed class SignedCodec(Type declaredType, long min, long max, Func<object, long> toWire, Func<long, object> fromWire)
        : PackedCodec<long>(declaredType)
    {
        private readonly long _min = min;
        private readonly long _max = max;
        private readonly Func<object, long> _toWire = toWire;
        private readonly Func<long, object> _fromWire = fromWire;

        public override ColumnField Field => ColumnField.Ints;

        protected override RepeatedField<long> Items(Column column) => column.Ints;

        protected override long ToWire(object value) => _toWire(value);

        protected override object FromWire(long wire) =>
            wire >= _min && wire <= _max ? _fromWire(wire) : throw CodecErrors.OutOfRange(DeclaredType, wire);

        protected override Value ToValue(long wire) => new() { IntValue = wire };

        protected override bool TryGetWire(Value value, out long wire)
        {
            wire = value.IntValue;
            return value.KindCase == Value.KindOneofCase.IntValue;
        }
    }

    private sealed class UnsignedCodec(Type declaredType, ulong max, Func<object, ulong> toWire, Func<ulong, object> fromWire)
        : PackedCodec<ulong>(declaredType)
    {
        private readonly ulong _max = max;
        private readonly Func<object, ulong> _toWire = toWire;
        private readonly Func<ulong, object> _fromWire = fromWire;

        public override ColumnField Field => ColumnField.Uints;

        protected override RepeatedField<ulong> Items(Column column) => column.Uints;

        protected override ulong ToWire(object value) => _toWire(value);

        protected override object FromWire(ulong wire) =>
            wire <= _max ? _fromWire(wire) : throw CodecErrors.OutOfRange(DeclaredType, wire);

        protected override Value ToValue(ulong wire) => new() { UintValue = wire };

        protected override bool TryGetWire(Value value, out ulong wire)
        {
            wire = value.UintValue;
            return value.KindCase == Value.KindOneofCase.UintValue;
        }
    }
}
