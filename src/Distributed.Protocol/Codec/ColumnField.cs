namespace Distributed.Protocol.Codec;

/// <summary>The typed fields of a <see cref="V1.Column"/>; a column uses at most one of them.</summary>
internal enum ColumnField
{
    /// <summary>No field: a column of <c>void</c> results, which are all null.</summary>
    None,
    Ints,
    Uints,
    Doubles,
    Floats,
    Bools,
    Strings,
    Blobs,
    Values,
}
