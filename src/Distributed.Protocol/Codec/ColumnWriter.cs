using Distributed.Protocol.Codec;
using Distributed.Protocol.V1;

namespace Distributed.Protocol;

/// <summary>
/// Builds a <see cref="Column"/> of values of one declared element type, in the densest field the
/// type allows (packed numbers for numeric types). Used for each argument position of a call unit
/// and for a unit's results.
/// </summary>
/// <remarks>
/// Numbers go to the packed fields, strings to <c>strings</c> and <c>byte[]</c> to <c>blobs</c> (a
/// null is a filler slot listed in <c>null_indexes</c>); every other type is one <see cref="Value"/>
/// each in <c>values</c>. Not thread-safe.
/// </remarks>
public sealed class ColumnWriter
{
    private readonly TypeCodec _codec;
    private readonly Column _column = new();
    private int _count;

    /// <summary>Creates a writer for values of <paramref name="elementType"/>.</summary>
    /// <param name="elementType">The declared type of every value; <c>typeof(void)</c> writes only nulls.</param>
    /// <exception cref="ArgumentNullException"><paramref name="elementType"/> is null.</exception>
    /// <exception cref="ValueCodecException">Values of the type cannot cross a process boundary at all (pointers, by-ref types, open generics).</exception>
    public ColumnWriter(Type elementType)
    {
        ArgumentNullException.ThrowIfNull(elementType);
        _codec = TypeCodecs.For(elementType);
    }

    internal ColumnWriter(TypeCodec codec) => _codec = codec;

    /// <summary>The number of values and placeholders added so far.</summary>
    public int Count => _count;

    /// <summary>Adds a value.</summary>
    /// <param name="value">A value of the element type, or null where the type allows it.</param>
    /// <exception cref="ValueCodecException">The value cannot be encoded as the element type; nothing was added.</exception>
    public void Add(object? value)
    {
        _codec.Append(_column, value, _count);
        _count++;
    }

    /// <summary>Adds a placeholder for an item that has no value (it failed or was skipped).</summary>
    /// <remarks>Null where the element type allows it; otherwise a default that readers are not meant to read.</remarks>
    public void AddPlaceholder()
    {
        _codec.AppendPlaceholder(_column, _count);
        _count++;
    }

    /// <summary>The column with <c>count</c> set. It is the writer's own column, not a copy: values added later appear in it.</summary>
    public Column ToColumn()
    {
        _column.Count = (uint)_count;
        return _column;
    }
}
