using System.Text.Unicode;
using Distributed.Protocol.V1;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Distributed.Coordinator.Wire;

/// <summary>
/// Checks a forwarded argument the way a worker will read it, without decoding it: what no worker
/// could read is refused here, to its sender, and never reaches (and ends the stream of) worker
/// after worker. Nothing is allocated, so a queued unit leaves no garbage behind its bytes.
/// </summary>
/// <remarks>
/// The rules are the parser's (Google.Protobuf): every varint ends within ten bytes, every length
/// fits what is left, a packed run holds whole values, field number 0 and wire types 6 and 7 are
/// errors, strings are UTF-8, a known field of another wire type is an unknown field (skipped, and
/// so not counted), and messages nest no deeper than a worker's reader allows. Groups, which no
/// proto3 sender writes, are refused rather than skipped.
/// </remarks>
internal static class ArgumentColumns
{
    // A worker reads a column two messages deep (CoordinatorMessage, CallUnit, Column) under
    // protobuf's default nesting limit of 100: what nests deeper inside it fails there.
    private const int MaxNesting = 98;

    /// <summary>The column's stated count and how many values its data fields hold (every item, a null included, has one slot).</summary>
    /// <exception cref="UnreadableColumnException">The bytes are not a column a worker can read; the message says why.</exception>
    public static (uint Count, long Held) Check(ByteString argument)
    {
        var bytes = argument.Span;
        uint count = 0;
        long held = 0;
        int position = 0;
        while (position < bytes.Length)
        {
            var (field, wireType) = ReadTag(bytes, ref position);
            var descriptor = ColumnFields.Find(field);
            if (descriptor is { Number: Column.CountFieldNumber } && wireType == WireFormat.WireType.Varint)
            {
                count = (uint)ReadVarint(bytes, ref position);
                continue;
            }

            long values = CheckField(bytes, ref position, descriptor, wireType, nesting: 0);
            if (descriptor is { Number: >= Column.IntsFieldNumber and <= Column.ValuesFieldNumber })
            {
                held += values;
            }
        }

        return (count, held);
    }

    /// <summary>Checks one field's value (the tag is read); returns how many values it holds for its field (0 when it is an unknown field).</summary>
    private static long CheckField(ReadOnlySpan<byte> bytes, ref int position, FieldShape? field, WireFormat.WireType wireType, int nesting)
    {
        var expected = field is { } known ? WireTypeOf(known.Type) : (WireFormat.WireType?)null;
        if (field is { } read && wireType == expected)
        {
            var body = ReadValue(bytes, ref position, wireType);
            switch (read.Type)
            {
                case FieldType.String when !Utf8.IsValid(body):
                    throw new UnreadableColumnException($"field {read.Name} is not valid UTF-8");
                case FieldType.Message:
                    CheckMessage(body, read.MessageType(), nesting + 1);
                    break;
            }

            return 1;
        }

        if (field is { IsRepeated: true } repeated && wireType == WireFormat.WireType.LengthDelimited && expected is { } packable && packable != WireFormat.WireType.LengthDelimited)
        {
            return CheckPacked(ReadValue(bytes, ref position, wireType), packable, repeated.Name);
        }

        // An unknown field (or a known one of another wire type, which the parser keeps as unknown): skipped, whole.
        ReadValue(bytes, ref position, wireType);
        return 0;
    }

    private static void CheckMessage(ReadOnlySpan<byte> bytes, MessageDescriptor message, int nesting)
    {
        if (nesting > MaxNesting)
        {
            throw new UnreadableColumnException($"values nest more than {MaxNesting} deep");
        }

        int position = 0;
        while (position < bytes.Length)
        {
            var (field, wireType) = ReadTag(bytes, ref position);
            CheckField(bytes, ref position, FieldShape.Of(message.FindFieldByNumber(field)), wireType, nesting);
        }
    }

    /// <summary>How many values a packed run holds: whole fixed-width ones, or varints that all end inside it.</summary>
    private static long CheckPacked(ReadOnlySpan<byte> run, WireFormat.WireType element, string name)
    {
        int width = element switch
        {
            WireFormat.WireType.Fixed64 => 8,
            WireFormat.WireType.Fixed32 => 4,
            _ => 0,
        };
        if (width > 0)
        {
            return run.Length % width == 0
                ? run.Length / width
                : throw new UnreadableColumnException($"packed field {name} holds {run.Length} bytes, not whole {width}-byte values");
        }

        long values = 0;
        int position = 0;
        while (position < run.Length)
        {
            ReadVarint(run, ref position);
            values++;
        }

        return values;
    }

    /// <summary>Reads past one value of the wire type; returns the body of a length-delimited one.</summary>
    private static ReadOnlySpan<byte> ReadValue(ReadOnlySpan<byte> bytes, ref int position, WireFormat.WireType wireType)
    {
        switch (wireType)
        {
            case WireFormat.WireType.Varint:
                ReadVarint(bytes, ref position);
                return default;
            case WireFormat.WireType.Fixed64:
                return Take(bytes, ref position, 8);
            case WireFormat.WireType.Fixed32:
                return Take(bytes, ref position, 4);
            case WireFormat.WireType.LengthDelimited:
                ulong length = ReadVarint(bytes, ref position);
                return length > int.MaxValue
                    ? throw new UnreadableColumnException("a length is negative or too large")
                    : Take(bytes, ref position, (int)length);
            default:
                throw new UnreadableColumnException($"wire type {(int)wireType} (a group, or no wire type at all) is not read in arguments");
        }
    }

    private static (int Field, WireFormat.WireType WireType) ReadTag(ReadOnlySpan<byte> bytes, ref int position)
    {
        uint tag = (uint)ReadVarint(bytes, ref position);
        int field = WireFormat.GetTagFieldNumber(tag);
        return field == 0
            ? throw new UnreadableColumnException("a field has number 0 (an invalid tag)")
            : (field, WireFormat.GetTagWireType(tag));
    }

    private static ReadOnlySpan<byte> Take(ReadOnlySpan<byte> bytes, ref int position, int length)
    {
        if (length > bytes.Length - position)
        {
            throw new UnreadableColumnException($"a field claims {length} bytes where {bytes.Length - position} are left (truncated)");
        }

        var taken = bytes.Slice(position, length);
        position += length;
        return taken;
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> bytes, ref int position)
    {
        ulong value = 0;
        for (int i = 0; i < 10; i++)
        {
            if (position >= bytes.Length)
            {
                throw new UnreadableColumnException("a number ends past the end of its field (truncated)");
            }

            byte b = bytes[position++];
            value |= (ulong)(b & 0x7F) << (7 * i);
            if (b < 0x80)
            {
                return value;
            }
        }

        throw new UnreadableColumnException("a number runs longer than 10 bytes");
    }

    private static WireFormat.WireType WireTypeOf(FieldType type) => type switch
    {
        FieldType.Double or FieldType.Fixed64 or FieldType.SFixed64 => WireFormat.WireType.Fixed64,
        FieldType.Float or FieldType.Fixed32 or FieldType.SFixed32 => WireFormat.WireType.Fixed32,
        FieldType.String or FieldType.Bytes or FieldType.Message => WireFormat.WireType.LengthDelimited,
        FieldType.Group => WireFormat.WireType.StartGroup,
        _ => WireFormat.WireType.Varint,
    };
}

/// <summary>An argument that is not a column a worker can read; the message says why.</summary>
internal sealed class UnreadableColumnException(string message) : Exception(message);
