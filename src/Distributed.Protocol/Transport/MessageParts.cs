using Distributed.Protocol.V1;
using Google.Protobuf;

namespace Distributed.Protocol;

/// <summary>
/// Cuts a coalesced message that grew past the receiver's size limit into messages that fit, in
/// an order that keeps its meaning: what must come first (a hello, function definitions, a
/// welcome) goes in the first part, the bulk (units, outcomes) is spread over the parts in order,
/// and what refers to it or must come last (cancels, withdrawals, a drain, a broken notice) goes
/// in the last. A message that fits, the common case, is returned as it is.
/// </summary>
internal static class MessageParts
{
    // Ids per piece of a long withdrawal answer: small enough for the smallest allowed limit.
    private const int WithdrawnIdsPerPiece = 4096;

    /// <summary>What a client sends: units between its hello and definitions, and its withdrawals.</summary>
    public static IEnumerable<ClientMessage> Split(ClientMessage message, int limit)
    {
        if (message.CalculateSize() <= limit)
        {
            return [message];
        }

        var units = Take(message.Units);
        var cancels = Take(message.Cancels);
        var withdrawals = Take(message.Withdrawals);
        var tokenCancels = Take(message.TokenCancels);
        bool close = message.Close;
        bool heartbeat = message.Heartbeat;
        message.Close = false;
        message.Heartbeat = false;
        return Pack(message, units.Select(u => Piece<ClientMessage>(u, m => m.Units.Add(u))), limit, last =>
        {
            last.Cancels.AddRange(cancels);
            last.Withdrawals.AddRange(withdrawals);
            last.TokenCancels.AddRange(tokenCancels);
            last.Close = close;
            last.Heartbeat = heartbeat;
        });
    }

    /// <summary>What a coordinator sends a client: notices first, withdrawals and outcomes, a broken notice last.</summary>
    public static IEnumerable<ClientEvent> Split(ClientEvent message, int limit)
    {
        if (message.CalculateSize() <= limit)
        {
            return [message];
        }

        var withdrawn = Take(message.Withdrawn).SelectMany(SplitWithdrawn).ToList();
        var outcomes = Take(message.Outcomes);
        var broken = message.Broken;
        message.Broken = null;
        var pieces = withdrawn.Select(w => Piece<ClientEvent>(w, m => m.Withdrawn.Add(w)))
            .Concat(outcomes.Select(o => Piece<ClientEvent>(o, m => m.Outcomes.Add(o))));
        return Pack(message, pieces, limit, last => last.Broken = broken);
    }

    /// <summary>
    /// Cuts a long answer to a withdrawal into pieces; only the last carries the request id, so
    /// whoever waits for the answer wakes once every piece has been applied.
    /// </summary>
    private static IEnumerable<Withdrawn> SplitWithdrawn(Withdrawn withdrawn)
    {
        if (withdrawn.UnitIds.Count + withdrawn.Items.Count <= WithdrawnIdsPerPiece)
        {
            yield return withdrawn;
            yield break;
        }

        for (int i = 0; i < withdrawn.UnitIds.Count; i += WithdrawnIdsPerPiece)
        {
            var piece = new Withdrawn();
            piece.UnitIds.AddRange(withdrawn.UnitIds.Skip(i).Take(WithdrawnIdsPerPiece));
            yield return piece;
        }

        for (int i = 0; i < withdrawn.Items.Count; i += WithdrawnIdsPerPiece)
        {
            var piece = new Withdrawn();
            piece.Items.AddRange(withdrawn.Items.Skip(i).Take(WithdrawnIdsPerPiece));
            yield return piece;
        }

        yield return new Withdrawn { RequestId = withdrawn.RequestId };
    }

    /// <summary>Empties a repeated field, returning what it held.</summary>
    internal static List<T> Take<T>(Google.Protobuf.Collections.RepeatedField<T> field)
    {
        var items = field.ToList();
        field.Clear();
        return items;
    }

    // An element of a repeated field costs its length-prefixed bytes and a one-byte tag (field numbers below 16).
    internal static (int Size, Action<TMessage> Add) Piece<TMessage>(IMessage item, Action<TMessage> add) =>
        (CodedOutputStream.ComputeMessageSize(item) + 1, add);

    /// <summary>Fills parts in order, starting from <paramref name="first"/>, each up to the limit; <paramref name="finish"/> completes the last.</summary>
    internal static List<TMessage> Pack<TMessage>(
        TMessage first,
        IEnumerable<(int Size, Action<TMessage> Add)> pieces,
        int limit,
        Action<TMessage> finish)
        where TMessage : IMessage, new()
    {
        var parts = new List<TMessage>();
        var part = first;
        int size = part.CalculateSize();
        bool holdsPieces = false;
        foreach (var (pieceSize, add) in pieces)
        {
            if (holdsPieces && size + pieceSize > limit)
            {
                parts.Add(part);
                part = new TMessage();
                size = 0;
            }

            add(part);
            size += pieceSize;
            holdsPieces = true;
        }

        finish(part);
        parts.Add(part);
        return parts;
    }
}
