using Distributed.Protocol.V1;
using Google.Protobuf;

namespace Distributed.Client;

/// <summary>
/// Cuts a coalesced message that grew past the size limit into messages that fit. Function
/// definitions and cancels go in the first part, so a unit never arrives before its function.
/// </summary>
internal static class MessageSplitter
{
    public static IEnumerable<ClientMessage> Split(ClientMessage message, int limit)
    {
        if (message.CalculateSize() <= limit)
        {
            yield return message;
            yield break;
        }

        var part = new ClientMessage { Close = message.Close };
        part.Functions.AddRange(message.Functions);
        part.Cancels.AddRange(message.Cancels);
        int size = part.CalculateSize();
        foreach (var unit in message.Units)
        {
            // The unit's bytes, its length prefix and its one-byte field tag.
            int unitSize = CodedOutputStream.ComputeMessageSize(unit) + 1;
            if (size + unitSize > limit && part.Units.Count > 0)
            {
                yield return part;
                part = new ClientMessage();
                size = 0;
            }

            part.Units.Add(unit);
            size += unitSize;
        }

        yield return part;
    }
}
