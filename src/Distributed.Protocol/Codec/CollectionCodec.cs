using Distributed.Protocol.V1;

namespace Distributed.Protocol.Codec;

/// <summary>
/// <c>T[]</c> and <c>List&lt;T&gt;</c>: a nested <see cref="Column"/> of the element type, so an
/// <c>int[]</c> argument is a packed run just like a Map chunk.
/// </summary>
internal sealed class CollectionCodec : TypeCodec
{
    private readonly TypeCodec _element;
    private readonly Shape _shape;

    public CollectionCodec(Type declaredType, Type elementType, bool isList)
        : base(declaredType)
    {
        _element = TypeCodecs.For(elementType);
        var shapeType = (isList ? typeof(ListShape<>) : typeof(ArrayShape<>)).MakeGenericType(elementType);
        _shape = (Shape)Activator.CreateInstance(shapeType)!;
    }

    protected override Value EncodeValue(object value)
    {
        var writer = new ColumnWriter(_element);
        _shape.WriteTo(value, writer);
        return new Value { ColumnValue = writer.ToColumn() };
    }

    protected override object? DecodeValue(Value value)
    {
        if (value.KindCase != Value.KindOneofCase.ColumnValue)
        {
            throw CodecErrors.Mismatch(DeclaredType, value);
        }

        return _shape.Build(new ColumnReader(value.ColumnValue, _element));
    }

    // Generic over the element type so items are copied without reflection (Array.SetValue) per item.
    private abstract class Shape
    {
        public abstract void WriteTo(object collection, ColumnWriter writer);

        public abstract object Build(ColumnReader reader);
    }

    private sealed class ArrayShape<T> : Shape
    {
        public override void WriteTo(object collection, ColumnWriter writer)
        {
            foreach (var item in (T[])collection)
            {
                writer.Add(item);
            }
        }

        public override object Build(ColumnReader reader)
        {
            var array = new T[reader.Count];
            for (int i = 0; i < array.Length; i++)
            {
                array[i] = (T)reader.Get(i)!;
            }

            return array;
        }
    }

    private sealed class ListShape<T> : Shape
    {
        public override void WriteTo(object collection, ColumnWriter writer)
        {
            foreach (var item in (List<T>)collection)
            {
                writer.Add(item);
            }
        }

        public override object Build(ColumnReader reader)
        {
            var list = new List<T>(reader.Count);
            for (int i = 0; i < reader.Count; i++)
            {
                list.Add((T)reader.Get(i)!);
            }

            return list;
        }
    }
}
