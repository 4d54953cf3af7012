using Distributed.Protocol;
using Distributed.Protocol.Codec;
using Distributed.Protocol.V1;
using Google.Protobuf;

namespace Distributed.Worker;

/// <summary>
/// Makes a unit's outcome fit the messages that carry it to the client. An item whose result (or
/// exception) alone is larger than a message fails with an error that names its size and the limit,
/// and the worker goes on; an outcome that is too large only as a whole (a Map chunk of large
/// results) is cut into partial outcomes, each of which fits, so every item still gets its result.
/// </summary>
internal static class OutcomeFitting
{
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
        var skipped = outcome.Skipped.ToHashSet();
        var errors = outcome.Errors.ToDictionary(e => e.Index, e => e.Error);
        int count = (int)Math.Max(results.Count, (uint)(errors.Count == 0 ? 0 : errors.Keys.Max() + 1));
        var sizes = new int[count];
        for (int i = 0; i < count; i++)
        {
            if (skipped.Contains((uint)i))
            {
                continue;
            }

            bool failed = errors.TryGetValue((uint)i, out var error);
            sizes[i] = failed ? CodedOutputStream.ComputeMessageSize(error) + 8 : ColumnSlots.SizeOf(results, i);
            if (sizes[i] > budget)
            {
                // Alone it would not fit any message: it fails, and says by how much.
                string what = failed ? "exception" : "result";
                errors[(uint)i] = ErrorCodec.Encode(
                    new ValueCodecException($"The {what} of {functionName} is {sizes[i]:N0} bytes encoded, more than the {limit:N0}-byte message limit on its way to the client (the smallest --max-message-bytes / MaxMessageBytes of the worker, the coordinator and the client)."),
                    ErrorKind.Result,
                    workerId);
                sizes[i] = CodedOutputStream.ComputeMessageSize(errors[(uint)i]) + 8;
            }
        }

        return Pack(outcome, results, skipped, errors, sizes, budget);
    }

    private static List<(UnitOutcome Outcome, int Size)> Pack(
        UnitOutcome outcome,
        Column results,
        HashSet<uint> skipped,
        Dictionary<uint, ErrorInfo> errors,
        int[] sizes,
        int budget)
    {
        var parts = new List<(UnitOutcome, int)>();
        var items = new List<int>();
        int used = 0;
        for (int i = 0; i <= sizes.Length; i++)
        {
            bool end = i == sizes.Length;
            if (!end && skipped.Contains((uint)i))
            {
                continue;
            }

            if (end || (items.Count > 0 && used + sizes[i] > budget))
            {
                var part = Part(outcome, results, errors, items, sizes.Length, last: end);
                parts.Add((part, part.CalculateSize()));
                items = [];
                used = 0;
            }

            if (!end)
            {
                items.Add(i);
                used += sizes[i];
            }
        }

        return parts;
    }

    /// <summary>One part: its items' results and errors; every other item is skipped (and holds a placeholder).</summary>
    private static UnitOutcome Part(UnitOutcome outcome, Column results, Dictionary<uint, ErrorInfo> errors, List<int> items, int count, bool last)
    {
        var mine = items.ToHashSet();
        var part = new UnitOutcome
        {
            UnitId = outcome.UnitId,
            Results = ColumnSlots.Select(results, i => mine.Contains(i) && !errors.ContainsKey((uint)i)),
            Partial = !last,
            RunNanos = last ? outcome.RunNanos : 0,
        };
        foreach (int i in items)
        {
            if (errors.TryGetValue((uint)i, out var error))
            {
                part.Errors.Add(new ItemError { Index = (uint)i, Error = error });
            }
        }

        for (uint i = 0; i < count; i++)
        {
            if (!mine.Contains((int)i))
            {
                part.Skipped.Add(i);
            }
        }

        return part;
    }
}
