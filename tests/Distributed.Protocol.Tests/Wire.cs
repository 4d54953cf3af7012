using Distributed.Protocol.V1;
using Google.Protobuf;

namespace Distributed.Protocol.Tests;

/// <summary>Sends values through real protobuf bytes, as another process would receive them.</summary>
internal static class Wire
{
    public static object? RoundTripAs(object? value, Type declaredType) =>
        ValueCodec.Decode(Reparse(ValueCodec.Encode(value, declaredType)), declaredType);

    public static T? RoundTrip<T>(T? value) => (T?)RoundTripAs(value, typeof(T));

    public static T Reparse<T>(T message)
        where T : IMessage<T>, new()
    {
        var parsed = new T();
        parsed.MergeFrom(message.ToByteArray());
        return parsed;
    }

    public static Column Reparse(ColumnWriter writer) => Reparse(writer.ToColumn());
}
