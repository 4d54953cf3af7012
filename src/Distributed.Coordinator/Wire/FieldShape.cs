using Google.Protobuf.Reflection;

namespace Distributed.Coordinator.Wire;

/// <summary>
/// What <see cref="ArgumentColumns"/> needs to know of a field to check its bytes: for a column's
/// own fields a row of <see cref="ColumnFields"/>, for the fields of a nested value its descriptor.
/// Nothing is allocated per field: a row's message type is a static function, asked for only when
/// such a field is present.
/// </summary>
internal readonly record struct FieldShape(int Number, string Name, FieldType Type, bool IsRepeated, FieldDescriptor? Descriptor, Func<MessageDescriptor>? Row)
{
    public static FieldShape? Of(FieldDescriptor? field) =>
        field is null ? null : new FieldShape(field.FieldNumber, field.Name, field.FieldType, field.IsRepeated, field, null);

    public static FieldShape Scalar(int number, string name, FieldType type, bool repeated = true) => new(number, name, type, repeated, null, null);

    public static FieldShape Message(int number, string name, Func<MessageDescriptor> messageType) => new(number, name, FieldType.Message, true, null, messageType);

    /// <summary>The message type of a message field.</summary>
    public MessageDescriptor MessageType() =>
        Descriptor?.MessageType ?? Row?.Invoke() ?? throw new InvalidOperationException($"field {Name} is not a message field");
}
