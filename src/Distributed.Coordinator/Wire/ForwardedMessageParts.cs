using Distributed.Protocol;

namespace Distributed.Coordinator.Wire;

/// <summary>Cuts what the coordinator sends a worker to the worker's limit, the way <see cref="MessageParts"/> cuts the other messages.</summary>
internal static class ForwardedMessageParts
{
    /// <summary>The welcome and definitions first, units spread over the parts in order, cancels, token cancels and a drain last.</summary>
    public static IEnumerable<ForwardedCoordinatorMessage> Split(ForwardedCoordinatorMessage message, int limit)
    {
        if (message.CalculateSize() <= limit)
        {
            return [message];
        }

        var units = MessageParts.Take(message.Units);
        var cancels = MessageParts.Take(message.Cancels);
        var tokenCancels = MessageParts.Take(message.TokenCancels);
        bool drain = message.Drain;
        bool stopping = message.CoordinatorStopping;
        message.Drain = false;
        message.CoordinatorStopping = false;
        return MessageParts.Pack(message, units.Select(u => MessageParts.Piece<ForwardedCoordinatorMessage>(u, m => m.Units.Add(u))), limit, last =>
        {
            last.Cancels.AddRange(cancels);
            last.TokenCancels.AddRange(tokenCancels);
            last.Drain = drain;
            last.CoordinatorStopping = stopping;
        });
    }
}
