using Distributed.Protocol.V1;
using Google.Protobuf.Reflection;

namespace Distributed.Coordinator.Wire;

/// <summary>
/// What <see cref="ArgumentColumns"/> needs to know of a field to check its bytes. The message
/// type of a message field is a function, asked for only when such a field is present.
/// </summary>
internal readonly record struct FieldShape(int Number, string Name, FieldType Type, bool IsRepeated, Func<MessageDescriptor> MessageType)
{
    private static readonly Func<MessageDescriptor> s_notAMessage = () => throw new InvalidOperationException("not a message field");

    public static FieldShape? Of(FieldDescriptor? field) =>
        field is null ? null : new FieldShape(field.FieldNumber, field.Name, field.FieldType, field.IsRepeated, field.FieldType == FieldType.Message ? () => field.MessageType : s_notAMessage);

    public static FieldShape Scalar(int number, string name, FieldType type, bool repeated = true) => new(number, name, type, repeated, s_notAMessage);
}

/// <summary>
/// The fields of <see cref="Column"/>, spelled out: reading them from its generated descriptor
/// builds every descriptor of the protocol (some 450 methods to compile), which a pool would do
/// on its first Map. Nested values still use the descriptors, and only when a column holds one.
/// A test holds this table equal to the descriptor.
/// </summary>
internal static class ColumnFields
{
    public static readonly FieldShape[] All =
    [
        FieldShape.Scalar(Column.CountFieldNumber, "count", FieldType.UInt32, repeated: false),
        FieldShape.Scalar(Column.IntsFieldNumber, "ints", FieldType.SInt64),
        FieldShape.Scalar(Column.UintsFieldNumber, "uints", FieldType.UInt64),
        FieldShape.Scalar(Column.DoublesFieldNumber, "doubles", FieldType.Double),
        FieldShape.Scalar(Column.FloatsFieldNumber, "floats", FieldType.Float),
        FieldShape.Scalar(Column.BoolsFieldNumber, "bools", FieldType.Bool),
        FieldShape.Scalar(Column.StringsFieldNumber, "strings", FieldType.String),
        FieldShape.Scalar(Column.BlobsFieldNumber, "blobs", FieldType.Bytes),
        new(Column.ValuesFieldNumber, "values", FieldType.Message, IsRepeated: true, () => Value.Descriptor),
        FieldShape.Scalar(Column.NullIndexesFieldNumber, "null_indexes", FieldType.UInt32),
    ];

    public static FieldShape? Find(int number) =>
        number >= 1 && number <= All.Length && All[number - 1].Number == number ? All[number - 1] : null;
}
