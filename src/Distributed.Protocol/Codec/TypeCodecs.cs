using System.Collections.Concurrent;
using Google.Protobuf;

namespace Distributed.Protocol.Codec;

/// <summary>Chooses, once per declared type, how its values travel.</summary>
internal static class TypeCodecs
{
    private static readonly ConcurrentDictionary<Type, TypeCodec> s_codecs = new();

    /// <exception cref="ValueCodecException">Values of the type cannot travel at all (pointers, by-ref, open generics).</exception>
    public static TypeCodec For(Type declaredType) =>
        s_codecs.TryGetValue(declaredType, out var codec) ? codec : s_codecs.GetOrAdd(declaredType, Create);

    private static TypeCodec Create(Type declaredType)
    {
        if (declaredType == typeof(void))
        {
            return new VoidCodec();
        }

        if (declaredType == typeof(object))
        {
            return new ObjectCodec();
        }

        if (declaredType == typeof(CancellationToken))
        {
            return new CancellationTokenCodec();
        }

        ThrowIfUnsupported(declaredType);
        var type = Nullable.GetUnderlyingType(declaredType) ?? declaredType;
        return IntegerCodecs.Create(declaredType, type)
            ?? ScalarCodecs.Create(declaredType, type)
            ?? StructCodecs.Create(declaredType, type)
            ?? CreateComposite(declaredType);
    }

    private static TypeCodec CreateComposite(Type declaredType)
    {
        if (declaredType.IsSZArray)
        {
            return new CollectionCodec(declaredType, declaredType.GetElementType()!, isList: false);
        }

        if (declaredType.IsGenericType && declaredType.GetGenericTypeDefinition() == typeof(List<>))
        {
            return new CollectionCodec(declaredType, declaredType.GetGenericArguments()[0], isList: true);
        }

        return typeof(IMessage).IsAssignableFrom(declaredType)
            ? MessageCodec.Create(declaredType)
            : new JsonCodec(declaredType);
    }

    private static void ThrowIfUnsupported(Type type)
    {
        if (type.IsByRef || type.IsPointer || type.IsFunctionPointer)
        {
            throw CodecErrors.Unsupported(type, "it is a pointer or by-reference type");
        }

        if (type.ContainsGenericParameters)
        {
            throw CodecErrors.Unsupported(type, "it has unbound generic parameters");
        }

        if (type.IsByRefLike)
        {
            throw CodecErrors.Unsupported(type, "it is a ref struct, which cannot be boxed");
        }
    }
}
