using System.Text;

namespace Distributed.Futures.Internal;

/// <summary>Type names as a reader writes them: <c>List&lt;Int32&gt;</c>, not <c>List`1</c>.</summary>
internal static class TypeNames
{
    public static string Display(Type? type)
    {
        if (type is null)
        {
            return "null";
        }

        if (!type.IsGenericType)
        {
            return type.Name;
        }

        var name = new StringBuilder(type.Name, 0, type.Name.IndexOf('`', StringComparison.Ordinal) is var tick and >= 0 ? tick : type.Name.Length, 64);
        name.Append('<');
        var arguments = type.GetGenericArguments();
        for (int i = 0; i < arguments.Length; i++)
        {
            if (i > 0)
            {
                name.Append(", ");
            }

            name.Append(Display(arguments[i]));
        }

        return name.Append('>').ToString();
    }
}
