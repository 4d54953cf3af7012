using System.Text;

namespace Distributed.Protocol;

/// <summary>
/// Type names for error messages, as a reader writes them: <c>List&lt;Int32&gt;</c>, <c>Int32?</c>,
/// <c>Outer.Inner</c>, not <c>List`1</c> or <c>Nullable`1</c>.
/// </summary>
internal static class TypeNames
{
    public static string Display(Type? type)
    {
        if (type is null)
        {
            return "null";
        }

        var name = new StringBuilder(64);
        Append(name, type);
        return name.ToString();
    }

    private static void Append(StringBuilder name, Type type)
    {
        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            Append(name, underlying);
            name.Append('?');
            return;
        }

        if (type.IsArray)
        {
            Append(name, type.GetElementType()!);
            name.Append('[').Append(',', type.GetArrayRank() - 1).Append(']');
            return;
        }

        if (type.IsNested && !type.IsGenericParameter && type.DeclaringType is { } outer)
        {
            Append(name, outer);
            name.Append('.');
        }

        // A generic type's name ends in `N, the number of its own type parameters.
        int tick = type.Name.IndexOf('`', StringComparison.Ordinal);
        name.Append(type.Name, 0, tick >= 0 ? tick : type.Name.Length);
        if (tick < 0 || !type.IsGenericType)
        {
            return;
        }

        // A nested type also lists its outer type's arguments first; show only its own.
        var arguments = type.GetGenericArguments();
        int inherited = type.IsNested && type.DeclaringType is { IsGenericType: true } declaring
            ? declaring.GetGenericArguments().Length
            : 0;
        name.Append('<');
        for (int i = inherited; i < arguments.Length; i++)
        {
            if (i > inherited)
            {
                name.Append(", ");
            }

            Append(name, arguments[i]);
        }

        name.Append('>');
    }
}
