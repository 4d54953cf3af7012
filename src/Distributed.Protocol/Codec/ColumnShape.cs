using System.Globalization;
using Distributed.Protocol.V1;

namespace Distributed.Protocol.Codec;

/// <summary>Checks that a column received from another process has the shape its element type implies.</summary>
internal static class ColumnShape
{
    private static readonly ColumnField[] s_dataFields =
    [
        ColumnField.Ints, ColumnField.Uints, ColumnField.Doubles, ColumnField.Floats,
        ColumnField.Bools, ColumnField.Strings, ColumnField.Blobs, ColumnField.Values,
    ];

    /// <summary>Returns the count after checking that only <paramref name="expected"/> holds items, exactly that many, and that every null index is in range.</summary>
    public static int Validate(Column column, ColumnField expected, Type elementType)
    {
        if (column.Count > int.MaxValue)
        {
            throw Malformed(elementType, $"its count {column.Count.ToString(CultureInfo.InvariantCulture)} is too large");
        }

        // A field of the wrong type says more about what went wrong than the count does, so it is reported first.
        foreach (var field in s_dataFields)
        {
            if (field != expected && Length(column, field) is var stray and > 0)
            {
                string where = expected == ColumnField.None ? "no field" : $"'{Name(expected)}'";
                throw Malformed(elementType, $"its items belong in {where}, but '{Name(field)}' holds {stray} items");
            }
        }

        int count = (int)column.Count;
        if (expected != ColumnField.None && Length(column, expected) is var length && length != count)
        {
            throw Malformed(elementType, $"its count is {count} but '{Name(expected)}' holds {length} items");
        }

        foreach (uint index in column.NullIndexes)
        {
            if (index >= count)
            {
                throw Malformed(elementType, $"null index {index.ToString(CultureInfo.InvariantCulture)} is past its count {count}");
            }
        }

        return count;
    }

    /// <summary>
    /// How many values the column really holds, whatever its <c>count</c> claims: every item has a
    /// slot in exactly one data field (a null is a filler slot), so a sender's claim can be checked
    /// against it before anything is allocated by the claim.
    /// </summary>
    public static int HeldValues(Column column)
    {
        int held = 0;
        foreach (var field in s_dataFields)
        {
            held += Length(column, field);
        }

        return held;
    }

    public static bool[]? NullMask(Column column, int count)
    {
        if (column.NullIndexes.Count == 0)
        {
            return null;
        }

        var nulls = new bool[count];
        foreach (uint index in column.NullIndexes)
        {
            nulls[index] = true;
        }

        return nulls;
    }

    private static int Length(Column column, ColumnField field) => field switch
    {
        ColumnField.Ints => column.Ints.Count,
        ColumnField.Uints => column.Uints.Count,
        ColumnField.Doubles => column.Doubles.Count,
        ColumnField.Floats => column.Floats.Count,
        ColumnField.Bools => column.Bools.Count,
        ColumnField.Strings => column.Strings.Count,
        ColumnField.Blobs => column.Blobs.Count,
        ColumnField.Values => column.Values.Count,
        _ => 0,
    };

    private static string Name(ColumnField field) => field switch
    {
        ColumnField.Ints => "ints",
        ColumnField.Uints => "uints",
        ColumnField.Doubles => "doubles",
        ColumnField.Floats => "floats",
        ColumnField.Bools => "bools",
        ColumnField.Strings => "strings",
        ColumnField.Blobs => "blobs",
        ColumnField.Values => "values",
        _ => "none",
    };

    private static ValueCodecException Malformed(Type elementType, string problem) =>
        new($"Malformed column of {TypeNames.Display(elementType)}: {problem}.");
}
