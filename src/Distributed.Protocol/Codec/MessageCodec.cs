using System.Reflection;
using Distributed.Protocol.V1;
using Google.Protobuf;

namespace Distributed.Protocol.Codec;

/// <summary>A Protocol Buffers message: its own bytes, parsed back by the type's static <c>Parser</c>.</summary>
internal sealed class MessageCodec : TypeCodec
{
    private readonly MessageParser _parser;

    private MessageCodec(Type declaredType, MessageParser parser)
        : base(declaredType)
    {
        _parser = parser;
    }

    public static MessageCodec Create(Type declaredType)
    {
        if (declaredType.IsAbstract || declaredType.IsInterface)
        {
            throw CodecErrors.Unsupported(declaredType, "a Protocol Buffers message must be declared as its concrete generated type to be parsed");
        }

        var property = declaredType.GetProperty("Parser", BindingFlags.Public | BindingFlags.Static);
        return property?.GetValue(null) is MessageParser parser
            ? new MessageCodec(declaredType, parser)
            : throw CodecErrors.Unsupported(declaredType, "it is a Protocol Buffers message without a static Parser property");
    }

    protected override Value EncodeValue(object value) => new() { BytesValue = ((IMessage)value).ToByteString() };

    protected override object? DecodeValue(Value value)
    {
        if (value.KindCase != Value.KindOneofCase.BytesValue)
        {
            throw CodecErrors.Mismatch(DeclaredType, value);
        }

        try
        {
            return _parser.ParseFrom(value.BytesValue);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new ValueCodecException($"Cannot decode {CodecErrors.Describe(value)} as {TypeNames.Display(DeclaredType)}: {e.Message}", e);
        }
    }
}
