using Distributed.Protocol.V1;

namespace Distributed.Protocol.Tests;

public sealed class ColumnWriterTests
{
    [Fact]
    public void Add_ThousandInts_UsesPackedIntsField()
    {
        var writer = new ColumnWriter(typeof(int));
        for (int i = 0; i < 1000; i++)
        {
            writer.Add(i - 500);
        }

        var column = writer.ToColumn();

        Assert.Equal(1000u, column.Count);
        Assert.Equal(1000, column.Ints.Count);
        Assert.Empty(column.Values);
        Assert.Empty(column.NullIndexes);
        Assert.Equal(-500, column.Ints[0]);
    }

    [Theory]
    [InlineData(typeof(uint), 7u)]
    [InlineData(typeof(double), 7.5)]
    [InlineData(typeof(float), 7.5f)]
    [InlineData(typeof(bool), true)]
    [InlineData(typeof(string), "seven")]
    [InlineData(typeof(long), 7L)]
    [InlineData(typeof(char), 'x')]
    public void Add_PackedElementType_UsesItsOwnFieldOnly(Type type, object value)
    {
        var writer = new ColumnWriter(type);
        writer.Add(value);
        writer.Add(value);

        var column = writer.ToColumn();
        int[] lengths = [column.Ints.Count, column.Uints.Count, column.Doubles.Count, column.Floats.Count, column.Bools.Count, column.Strings.Count, column.Blobs.Count, column.Values.Count];

        Assert.Equal(2, lengths.Max());
        Assert.Equal(2, lengths.Sum());
        Assert.Equal(value, new ColumnReader(Wire.Reparse(column), type).Get(1));
    }

    [Fact]
    public void Add_StringsWithNulls_RecordsNullIndexesAndEmptySlots()
    {
        var writer = new ColumnWriter(typeof(string));
        writer.Add("a");
        writer.Add(null);
        writer.Add(string.Empty);

        var column = writer.ToColumn();
        var reader = new ColumnReader(Wire.Reparse(column), typeof(string));

        Assert.Equal(["a", string.Empty, string.Empty], column.Strings);
        Assert.Equal([1u], column.NullIndexes);
        Assert.Equal("a", reader.Get(0));
        Assert.Null(reader.Get(1));
        Assert.Equal(string.Empty, reader.Get(2));
    }

    [Fact]
    public void Add_NullableInts_UsesPackedFieldWithNullIndexes()
    {
        var writer = new ColumnWriter(typeof(int?));
        writer.Add(5);
        writer.Add(null);

        var column = writer.ToColumn();
        var reader = new ColumnReader(Wire.Reparse(column), typeof(int?));

        Assert.Equal(2, column.Ints.Count);
        Assert.Empty(column.Values);
        Assert.Equal(5, reader.Get(0));
        Assert.Null(reader.Get(1));
    }

    [Fact]
    public void Add_Guids_OneValueEach()
    {
        var writer = new ColumnWriter(typeof(Guid));
        var id = Guid.NewGuid();
        writer.Add(id);

        var column = writer.ToColumn();

        Assert.Single(column.Values);
        Assert.Equal(id, new ColumnReader(column, typeof(Guid)).Get(0));
    }

    [Fact]
    public void Add_WrongType_ThrowsAndAddsNothing()
    {
        var writer = new ColumnWriter(typeof(int));
        writer.Add(1);

        Assert.Throws<ValueCodecException>(() => writer.Add("two"));
        Assert.Throws<ValueCodecException>(() => writer.Add(null));
        Assert.Throws<ValueCodecException>(() => writer.Add(3L));

        var column = writer.ToColumn();
        Assert.Equal(1, writer.Count);
        Assert.Equal(1u, column.Count);
        Assert.Single(column.Ints);
    }

    [Fact]
    public void Add_UnserializableJsonValue_ThrowsAndAddsNothing()
    {
        var writer = new ColumnWriter(typeof(Node));
        var node = new Node();
        node.Next = node;

        Assert.Throws<ValueCodecException>(() => writer.Add(node));
        Assert.Equal(0, writer.Count);
        Assert.Empty(writer.ToColumn().Values);
    }

    [Fact]
    public void Void_AddNull_WritesCountOnly()
    {
        var writer = new ColumnWriter(typeof(void));
        writer.Add(null);
        writer.AddPlaceholder();
        writer.Add(null);

        var column = Wire.Reparse(writer);
        var reader = new ColumnReader(column, typeof(void));

        Assert.Equal(3u, column.Count);
        Assert.Equal(new Column { Count = 3 }, column);
        Assert.Null(reader.Get(2));
        Assert.Throws<ValueCodecException>(() => writer.Add(1));
    }

    [Fact]
    public void AddPlaceholder_ValueTypeAndReference_HoldDefaultAndNull()
    {
        var ints = new ColumnWriter(typeof(int));
        ints.Add(9);
        ints.AddPlaceholder();
        var strings = new ColumnWriter(typeof(string));
        strings.AddPlaceholder();
        var records = new ColumnWriter(typeof(Person));
        records.AddPlaceholder();

        Assert.Equal([9L, 0L], ints.ToColumn().Ints);
        Assert.Empty(ints.ToColumn().NullIndexes);
        Assert.Null(new ColumnReader(Wire.Reparse(strings), typeof(string)).Get(0));
        Assert.Null(new ColumnReader(Wire.Reparse(records), typeof(Person)).Get(0));
    }

    [Fact]
    public void Add_ObjectElements_ReadBackAsNaturalValues()
    {
        var writer = new ColumnWriter(typeof(object));
        writer.Add(1);
        writer.Add("two");
        writer.Add(null);

        var reader = new ColumnReader(Wire.Reparse(writer), typeof(object));

        Assert.Equal(1L, reader.Get(0));
        Assert.Equal("two", reader.Get(1));
        Assert.Null(reader.Get(2));
    }

    [Fact]
    public void RoundTrip_MillionInts_IsCorrectAndFast()
    {
        const int Count = 1_000_000;
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var writer = new ColumnWriter(typeof(int));
        for (int i = 0; i < Count; i++)
        {
            writer.Add(i);
        }

        var reader = new ColumnReader(Wire.Reparse(writer), typeof(int));
        long sum = 0;
        for (int i = 0; i < Count; i++)
        {
            sum += (int)reader.Get(i)!;
        }

        clock.Stop();
        Assert.Equal((long)Count * (Count - 1) / 2, sum);

        // The target is well under a second; the bound leaves room for a loaded CI machine.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"a million ints took {clock.Elapsed}");
    }
}
