using Distributed.Protocol.V1;
using Google.Protobuf;

namespace Distributed.Protocol.Codec;

/// <summary>
/// Slot-by-slot views of a column, whatever its element type, for cutting a large outcome into
/// messages that fit: what one slot costs on the wire, and a copy that keeps some slots and holds
/// placeholders in the others (which a reader is never asked for, as their items are skipped).
/// </summary>
public static class ColumnSlots
{
    /// <summary>The encoded size of slot <paramref name="index"/>, near enough to budget by.</summary>
    public static int SizeOf(Column column, int index)
    {
        ArgumentNullException.ThrowIfNull(column);
        if (index < column.Ints.Count)
        {
            return CodedOutputStream.ComputeSInt64Size(column.Ints[index]);
        }

        if (index < column.Uints.Count)
        {
            return CodedOutputStream.ComputeUInt64Size(column.Uints[index]);
        }

        if (index < column.Strings.Count)
        {
            return CodedOutputStream.ComputeStringSize(column.Strings[index]) + 1;
        }

        if (index < column.Blobs.Count)
        {
            return CodedOutputStream.ComputeBytesSize(column.Blobs[index]) + 1;
        }

        if (index < column.Values.Count)
        {
            return CodedOutputStream.ComputeMessageSize(column.Values[index]) + 1;
        }

        return index < column.Doubles.Count ? 8 : index < column.Floats.Count ? 4 : 1;
    }

    /// <summary>A copy of <paramref name="column"/> with the slots <paramref name="keep"/> rejects replaced by placeholders.</summary>
    public static Column Select(Column column, Func<int, bool> keep)
    {
        ArgumentNullException.ThrowIfNull(column);
        ArgumentNullException.ThrowIfNull(keep);
        var copy = new Column { Count = column.Count };
        Copy(column.Ints, copy.Ints, keep, 0L);
        Copy(column.Uints, copy.Uints, keep, 0UL);
        Copy(column.Doubles, copy.Doubles, keep, 0d);
        Copy(column.Floats, copy.Floats, keep, 0f);
        Copy(column.Bools, copy.Bools, keep, false);
        Copy(column.Strings, copy.Strings, keep, string.Empty);
        Copy(column.Blobs, copy.Blobs, keep, ByteString.Empty);
        for (int i = 0; i < column.Values.Count; i++)
        {
            copy.Values.Add(keep(i) ? column.Values[i] : new Value { IsNull = true });
        }

        copy.NullIndexes.AddRange(column.NullIndexes.Where(index => keep((int)index)));
        return copy;
    }

    private static void Copy<T>(Google.Protobuf.Collections.RepeatedField<T> from, Google.Protobuf.Collections.RepeatedField<T> to, Func<int, bool> keep, T placeholder)
    {
        for (int i = 0; i < from.Count; i++)
        {
            to.Add(keep(i) ? from[i] : placeholder);
        }
    }
}
