using Distributed.Protocol.V1;
using Google.Protobuf;

namespace Distributed.Protocol.Codec;

/// <summary>
/// Slot-by-slot views of a column, whatever its element type, for cutting a large outcome into
/// messages that fit: what one slot costs on the wire, and a run of slots as a column of its own.
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

    /// <summary>Empties slot <paramref name="index"/> (its item failed after all): a placeholder, which no reader is asked for.</summary>
    public static void Clear(Column column, int index)
    {
        ArgumentNullException.ThrowIfNull(column);
        if (index < column.Strings.Count)
        {
            column.Strings[index] = string.Empty;
        }
        else if (index < column.Blobs.Count)
        {
            column.Blobs[index] = ByteString.Empty;
        }
        else if (index < column.Values.Count)
        {
            column.Values[index] = new Value { IsNull = true };
        }
    }

    /// <summary>The slots <paramref name="from"/> to <paramref name="from"/> + <paramref name="count"/> of a column, as a column of their own.</summary>
    public static Column Slice(Column column, int from, int count)
    {
        ArgumentNullException.ThrowIfNull(column);
        var slice = new Column { Count = (uint)count };
        Copy(column.Ints, slice.Ints, from, count);
        Copy(column.Uints, slice.Uints, from, count);
        Copy(column.Doubles, slice.Doubles, from, count);
        Copy(column.Floats, slice.Floats, from, count);
        Copy(column.Bools, slice.Bools, from, count);
        Copy(column.Strings, slice.Strings, from, count);
        Copy(column.Blobs, slice.Blobs, from, count);
        Copy(column.Values, slice.Values, from, count);
        slice.NullIndexes.AddRange(column.NullIndexes.Where(index => index >= from && index < from + count).Select(index => index - (uint)from));
        return slice;
    }

    private static void Copy<T>(Google.Protobuf.Collections.RepeatedField<T> from, Google.Protobuf.Collections.RepeatedField<T> to, int start, int count)
    {
        if (from.Count > 0)
        {
            to.AddRange(from.Skip(start).Take(count));
        }
    }
}
