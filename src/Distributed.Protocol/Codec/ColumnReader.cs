using Distributed.Protocol.V1;

namespace Distributed.Protocol;

/// <summary>Reads the values of a <see cref="Column"/> by their declared element type.</summary>
public sealed class ColumnReader
{
    /// <exception cref="ValueCodecException">The column's shape does not fit the element type (wrong field, counts that disagree).</exception>
    public ColumnReader(Column column, Type elementType) => throw new NotImplementedException();

    public int Count => throw new NotImplementedException();

    /// <exception cref="ValueCodecException">The value at <paramref name="index"/> cannot be decoded as the element type.</exception>
    public object? Get(int index) => throw new NotImplementedException();
}
