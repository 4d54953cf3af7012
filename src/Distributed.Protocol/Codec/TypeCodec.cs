using Distributed.Protocol.V1;

namespace Distributed.Protocol.Codec;

/// <summary>
/// How values of one declared type travel: as a single <see cref="Value"/> and as the items of a
/// <see cref="Column"/>. One instance per declared type, chosen once (<see cref="TypeCodecs.For"/>),
/// so a column of a million items pays for the type dispatch once, not per item. Null handling
/// lives here; subclasses see only non-null values.
/// </summary>
internal abstract class TypeCodec
{
    protected TypeCodec(Type declaredType)
        : this(declaredType, !declaredType.IsValueType || Nullable.GetUnderlyingType(declaredType) is not null)
    {
    }

    protected TypeCodec(Type declaredType, bool allowsNull)
    {
        DeclaredType = declaredType;
        AllowsNull = allowsNull;
    }

    public Type DeclaredType { get; }

    /// <summary>True for reference types and <see cref="Nullable{T}"/>.</summary>
    public bool AllowsNull { get; }

    /// <summary>The column field this type's items go to.</summary>
    public virtual ColumnField Field => ColumnField.Values;

    public Value Encode(object? value)
    {
        if (value is null)
        {
            return AllowsNull ? NullValue() : throw CodecErrors.NullNotAllowed(DeclaredType, encoding: true);
        }

        try
        {
            return EncodeValue(value);
        }
        catch (InvalidCastException)
        {
            throw CodecErrors.WrongRuntimeType(DeclaredType, value);
        }
    }

    public object? Decode(Value value) => value.KindCase switch
    {
        Value.KindOneofCase.IsNull => AllowsNull ? null : throw CodecErrors.NullNotAllowed(DeclaredType, encoding: false),
        Value.KindOneofCase.None => throw CodecErrors.EmptyValue(DeclaredType),
        _ => DecodeValue(value),
    };

    /// <summary>Appends one item; on failure nothing was appended.</summary>
    public void Append(Column column, object? value, int index)
    {
        if (value is null)
        {
            if (!AllowsNull)
            {
                throw CodecErrors.NullNotAllowed(DeclaredType, encoding: true);
            }

            AppendNull(column, index);
            return;
        }

        try
        {
            AppendValue(column, value);
        }
        catch (InvalidCastException)
        {
            throw CodecErrors.WrongRuntimeType(DeclaredType, value);
        }
    }

    /// <summary>A slot for an item without a value: null where the type allows it, else a default nobody reads.</summary>
    public void AppendPlaceholder(Column column, int index)
    {
        if (AllowsNull)
        {
            AppendNull(column, index);
        }
        else
        {
            AppendDefault(column);
        }
    }

    /// <summary>Reads item <paramref name="index"/>, which the caller knows is not listed as null.</summary>
    public virtual object? Read(Column column, int index) => Decode(column.Values[index]);

    /// <summary>The codec that reads <paramref name="column"/>: this one, except for <c>object</c>, which reads whatever field was sent.</summary>
    public virtual TypeCodec ReaderFor(Column column) => this;

    protected static Value NullValue() => new() { IsNull = true };

    protected abstract Value EncodeValue(object value);

    /// <summary>Decodes a value that is neither null nor empty.</summary>
    protected abstract object? DecodeValue(Value value);

    protected virtual void AppendValue(Column column, object value) => column.Values.Add(EncodeValue(value));

    protected virtual void AppendNull(Column column, int index) => column.Values.Add(NullValue());

    // Placeholders are never read (their item failed or was skipped), so a null Value serves
    // every type that keeps its items in `values`.
    protected virtual void AppendDefault(Column column) => column.Values.Add(NullValue());
}
