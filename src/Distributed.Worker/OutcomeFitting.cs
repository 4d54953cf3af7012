using Distributed.Protocol;
using Distributed.Protocol.Codec;
using Distributed.Protocol.V1;
using Google.Protobuf;

namespace Distributed.Worker;

/// <summary>
/// Makes a unit's outcome fit the messages that carry it to the client. An item whose result (or
/// exception) alone is larger than a message fails with an error that names its size and the limit,
/// and the worker goes on; an outcome that is too large only as a whole (a Map chunk of large
/// results) is cut into partial outcomes, each a run of items that fits, so every item still gets
/// its result.
/// </summary>
internal static class OutcomeFitting
{
    // What an item costs a part beyond its result: its share of the column's framing, a skip or error entry.
    private const int ItemOverheadBytes = 16;

    /// <param name="outcome">The unit's whole outcome.</param>
    /// <param name="limit">The largest message on the way to the client.</param>
    /// <param name="functionName">For the error of an item that is too large.</param>
    /// <param name="workerId">For that error's origin.</param>
    /// <returns>The outcome as it goes out, with each part's encoded size; only the last part is not partial.</returns>
    public static List<(UnitOutcome Outcome, int Size)> Fit(UnitOutcome outcome, int limit, string functionName, string workerId)
    {
        int size = outcome.CalculateSize();
        int budget = limit - ProtocolInfo.MessageOverheadBytes;
        if (size <= budget)
        {
            return [(outcome, size)];
        }

        var results = outcome.Results ?? new Column();
        int count = (int)results.Count;
        var skipped = outcome.Skipped.ToHashSet();
        var errors = outcome.Errors.ToDictionary(e => e.Index, e => e.Error);
        var sizes = new int[count];
        for (int i = 0; i < count; i++)
        {
            bool failed = errors.TryGetValue((uint)i, out var error);
            sizes[i] = ItemOverheadBytes + (skipped.Contains((uint)i) ? 0 : failed ? CodedOutputStream.ComputeMessageSize(error) : ColumnSlots.SizeOf(results, i));
            if (sizes[i] > budget)
            {
                // Alone it would not fit any message: it fails, and says by how much.
                string what = failed ? "exception" : "result";
                errors[(uint)i] = ErrorCodec.Encode(
                    new ValueCodecException($"The {what} of {functionName} is {sizes[i]:N0} bytes encoded, more than the {limit:N0}-byte message limit on its way to the client (the smallest --max-message-bytes / MaxMessageBytes of the worker, the coordinator and the client)."),
                    ErrorKind.Result,
                    workerId);
                ColumnSlots.Clear(results, i);
                sizes[i] = ItemOverheadBytes + CodedOutputStream.ComputeMessageSize(errors[(uint)i]);
            }
        }

        var parts = new List<(UnitOutcome, int)>();
        for (int from = 0; from < count;)
        {
            int to = from + 1;
            for (int used = sizes[from]; to < count && used + sizes[to] <= budget; to++)
            {
                used += sizes[to];
            }

            var part = Part(outcome, results, skipped, errors, from, to, last: to == count);
            parts.Add((part, part.CalculateSize()));
            from = to;
        }

        return parts;
    }

    /// <summary>One part: the items from <paramref name="from"/> up to <paramref name="to"/>, their results, errors and skips.</summary>
    private static UnitOutcome Part(UnitOutcome outcome, Column results, HashSet<uint> skipped, Dictionary<uint, ErrorInfo> errors, int from, int to, bool last)
    {
        var slice = ColumnSlots.Slice(results, from, to - from);
        var part = new UnitOutcome
        {
            UnitId = outcome.UnitId,
            Results = slice,
            Partial = !last,
            FirstIndex = (uint)from,
            ItemCount = (uint)(to - from),
            RunNanos = last ? outcome.RunNanos : 0,
        };
        for (uint i = (uint)from; i < to; i++)
        {
            if (skipped.Contains(i))
            {
                part.Skipped.Add(i);
            }
            else if (errors.TryGetValue(i, out var error))
            {
                part.Errors.Add(new ItemError { Index = i, Error = error });
            }
        }

        return part;
    }
}
