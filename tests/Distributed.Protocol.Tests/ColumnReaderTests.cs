using Distributed.Protocol.V1;

namespace Distributed.Protocol.Tests;

public sealed class ColumnReaderTests
{
    [Fact]
    public void Constructor_CountMismatch_Throws()
    {
        var column = new Column { Count = 3, Ints = { 1, 2 } };

        var ex = Assert.Throws<ValueCodecException>(() => new ColumnReader(column, typeof(int)));

        Assert.Contains("count is 3", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'ints' holds 2", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_WrongField_Throws()
    {
        var column = new Column { Count = 2, Doubles = { 1, 2 } };

        var ex = Assert.Throws<ValueCodecException>(() => new ColumnReader(column, typeof(int)));

        Assert.Contains("Int32", ex.Message, StringComparison.Ordinal);
        Assert.Contains("doubles", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_TwoFieldsForObject_Throws()
    {
        var column = new Column { Count = 1, Ints = { 1 }, Strings = { "a" } };

        Assert.Throws<ValueCodecException>(() => new ColumnReader(column, typeof(object)));
    }

    [Fact]
    public void Constructor_NullIndexPastCount_Throws()
    {
        var column = new Column { Count = 1, Strings = { string.Empty }, NullIndexes = { 1 } };

        Assert.Throws<ValueCodecException>(() => new ColumnReader(column, typeof(string)));
    }

    [Fact]
    public void Constructor_ValuesMissingForStructType_Throws()
    {
        var column = new Column { Count = 2 };

        Assert.Throws<ValueCodecException>(() => new ColumnReader(column, typeof(Guid)));
    }

    [Fact]
    public void Constructor_EmptyColumn_ReadsNothingForAnyType()
    {
        Assert.Equal(0, new ColumnReader(new Column(), typeof(int)).Count);
        Assert.Equal(0, new ColumnReader(new Column(), typeof(Person)).Count);
        Assert.Equal(0, new ColumnReader(new Column(), typeof(object)).Count);
    }

    [Fact]
    public void Get_OutOfRangeIndex_Throws()
    {
        var reader = new ColumnReader(new Column { Count = 1, Ints = { 1 } }, typeof(int));

        Assert.Throws<ArgumentOutOfRangeException>(() => reader.Get(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => reader.Get(-1));
    }

    [Fact]
    public void Get_NullIndexForNonNullable_Throws()
    {
        var reader = new ColumnReader(new Column { Count = 2, Ints = { 1, 0 }, NullIndexes = { 1 } }, typeof(int));

        Assert.Equal(1, reader.Get(0));
        Assert.Throws<ValueCodecException>(() => reader.Get(1));
    }

    [Fact]
    public void Get_ValueOutOfRangeForElementType_Throws()
    {
        var reader = new ColumnReader(new Column { Count = 2, Ints = { 1, 1_000_000 } }, typeof(short));

        Assert.Equal((short)1, reader.Get(0));
        Assert.Throws<ValueCodecException>(() => reader.Get(1));
    }

    [Fact]
    public void Get_ObjectOverPackedUints_ReturnsUlongs()
    {
        var reader = new ColumnReader(new Column { Count = 2, Uints = { 1, ulong.MaxValue } }, typeof(object));

        Assert.Equal(ulong.MaxValue, reader.Get(1));
    }
}
