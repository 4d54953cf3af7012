using System.Runtime.InteropServices;
using Google.Protobuf;

namespace Distributed.Coordinator.Wire;

/// <summary>
/// Reads an encoded Column (values.proto) far enough to check a sender's claim: the count it
/// states and the values it really holds, without decoding or allocating any value. The
/// coordinator forwards arguments as bytes; this is all it needs to know of them.
/// </summary>
internal static class ColumnCensus
{
    private const int CountField = 1;
    private const int IntsField = 2;
    private const int UintsField = 3;
    private const int DoublesField = 4;
    private const int FloatsField = 5;
    private const int BoolsField = 6;
    private const int ValuesField = 9;

    /// <summary>The column's stated count and how many values its data fields hold (every item, a null included, has one slot).</summary>
    /// <exception cref="InvalidProtocolBufferException">The bytes are not a Column.</exception>
    public static (ulong Count, long Held) Of(ByteString column)
    {
        var input = MemoryMarshal.TryGetArray(column.Memory, out var bytes)
            ? new CodedInputStream(bytes.Array!, bytes.Offset, bytes.Count)
            : new CodedInputStream(column.ToByteArray());
        ulong count = 0;
        long held = 0;
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            int field = WireFormat.GetTagFieldNumber(tag);
            var wireType = WireFormat.GetTagWireType(tag);
            if (field == CountField && wireType == WireFormat.WireType.Varint)
            {
                count = input.ReadUInt64();
            }
            else if (field is >= IntsField and <= BoolsField && wireType == WireFormat.WireType.LengthDelimited)
            {
                held += Packed(input.ReadBytes().Span, field);
            }
            else if (field is >= IntsField and <= ValuesField)
            {
                // One value, unpacked (numbers may come either way) or a string, blob or Value.
                held++;
                input.SkipLastField();
            }
            else
            {
                input.SkipLastField();
            }
        }

        return (count, held);
    }

    /// <summary>How many values a packed run holds: fixed-width ones by length, varints by their last bytes.</summary>
    private static long Packed(ReadOnlySpan<byte> run, int field) => field switch
    {
        DoublesField => run.Length / 8,
        FloatsField => run.Length / 4,
        _ => Varints(run),
    };

    private static long Varints(ReadOnlySpan<byte> run)
    {
        long values = 0;
        foreach (byte b in run)
        {
            values += b < 0x80 ? 1 : 0;
        }

        return values;
    }
}
