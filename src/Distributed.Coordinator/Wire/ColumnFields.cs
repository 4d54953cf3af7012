using Distributed.Protocol.V1;
using Google.Protobuf.Reflection;

namespace Distributed.Coordinator.Wire;

/// <summary>
/// The fields of <see cref="Column"/>, spelled out: reading them from its generated descriptor
/// builds the descriptors of values.proto, some 450 methods for a pool's client process to compile
/// on its first Map. Nested values still use their descriptors, built only when a column holds one.
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
        FieldShape.Message(Column.ValuesFieldNumber, "values", static () => Value.Descriptor),
        FieldShape.Scalar(Column.NullIndexesFieldNumber, "null_indexes", FieldType.UInt32),
    ];

    public static FieldShape? Find(int number) =>
        number >= 1 && number <= All.Length && All[number - 1].Number == number ? All[number - 1] : null;
}
