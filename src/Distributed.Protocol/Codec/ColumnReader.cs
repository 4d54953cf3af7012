using Distributed.Protocol.Codec;
using Distributed.Protocol.V1;

namespace Distributed.Protocol;

/// <summary>Reads the values of a <see cref="Column"/> by their declared element type.</summary>
/// <remarks>The shape is checked once, in the constructor; <see cref="Get"/> then only decodes.</remarks>
public sealed class ColumnReader
{
    private readonly Column _column;
    private readonly TypeCodec _declared;
    private readonly TypeCodec _reading;
    private readonly int _count;

    // Null when no index is null, which is the common case and costs nothing per item.
    private readonly bool[]? _nulls;

    /// <summary>Checks the column's shape against <paramref name="elementType"/>.</summary>
    /// <param name="column">The column to read.</param>
    /// <param name="elementType">The declared type of every value.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ValueCodecException">The column's shape does not fit the element type (wrong field, counts that disagree).</exception>
    public ColumnReader(Column column, Type elementType)
        : this(column, TypeCodecs.For(elementType ?? throw new ArgumentNullException(nameof(elementType))))
    {
    }

    internal ColumnReader(Column column, TypeCodec codec)
    {
        ArgumentNullException.ThrowIfNull(column);
        _column = column;
        _declared = codec;
        _reading = codec.ReaderFor(column);
        _count = ColumnShape.Validate(column, _reading.Field, codec.DeclaredType);
        _nulls = ColumnShape.NullMask(column, _count);
    }

    /// <summary>The number of values in the column.</summary>
    public int Count => _count;

    /// <summary>Decodes the value at <paramref name="index"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is negative or not less than <see cref="Count"/>.</exception>
    /// <exception cref="ValueCodecException">The value at <paramref name="index"/> cannot be decoded as the element type.</exception>
    public object? Get(int index)
    {
        if ((uint)index >= (uint)_count)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"The column holds {_count} values.");
        }

        if (_nulls is not null && _nulls[index])
        {
            return _declared.AllowsNull
                ? null
                : throw new ValueCodecException($"Cannot decode null (item {index} of a column) as {TypeNames.Display(_declared.DeclaredType)}, which is not nullable.");
        }

        return _reading.Read(_column, index);
    }
}
