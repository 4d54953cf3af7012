using Distributed.Protocol.V1;

namespace Distributed.Protocol;

/// <summary>
/// Builds a <see cref="Column"/> of values of one declared element type, in the densest field the
/// type allows (packed numbers for numeric types). Used for each argument position of a call unit
/// and for a unit's results.
/// </summary>
public sealed class ColumnWriter
{
    /// <param name="elementType">The declared type of every value; <c>typeof(void)</c> writes only nulls.</param>
    public ColumnWriter(Type elementType) => throw new NotImplementedException();

    public int Count => throw new NotImplementedException();

    /// <exception cref="ValueCodecException">The value cannot be encoded as the element type; nothing was added.</exception>
    public void Add(object? value) => throw new NotImplementedException();

    /// <summary>Adds a placeholder for an item that has no value (it failed or was skipped).</summary>
    public void AddPlaceholder() => throw new NotImplementedException();

    public Column ToColumn() => throw new NotImplementedException();
}
