using Distributed.Protocol;
using Distributed.Protocol.V1;

namespace Distributed.Remoting;

/// <summary>
/// The items one outcome settles, each with its result or its exception, decoded as they are
/// read. Both kinds of a unit's client half (futures, Map chunk) read outcomes this way, and
/// outside any lock of theirs: decoding may run user code (a JSON converter, an exception's
/// constructor).
/// </summary>
internal static class OutcomeItems
{
    /// <param name="outcome">The outcome (perhaps one part of a unit's, see <see cref="OutcomeRange"/>).</param>
    /// <param name="count">How many items the unit has.</param>
    /// <param name="wireResultType">The called method's return type, which the worker encoded the results by.</param>
    public static IEnumerable<(int Index, TResult Result, Exception? Error)> Read<TResult>(UnitOutcome outcome, int count, Type wireResultType)
    {
        var skipped = outcome.Skipped.Count == 0 ? null : outcome.Skipped.ToHashSet();
        var errors = outcome.Errors.Count == 0 ? null : outcome.Errors.ToDictionary(e => e.Index, e => e.Error);
        var range = OutcomeRange.Of(outcome, count);
        ColumnReader? results = null;
        for (int index = range.From; index < range.To; index++)
        {
            if (skipped?.Contains((uint)index) == true)
            {
                continue;
            }

            if (errors?.TryGetValue((uint)index, out var error) == true)
            {
                yield return (index, default!, ErrorCodec.Decode(error));
                continue;
            }

            results ??= new ColumnReader(outcome.Results ?? new Column(), wireResultType);
            yield return ReadResult<TResult>(results, index, index - range.From);
        }
    }

    private static (int Index, TResult Result, Exception? Error) ReadResult<TResult>(ColumnReader results, int index, int position)
    {
        try
        {
            return (index, ResultCast.To<TResult>(results.Get(position)), null);
        }
        catch (ValueCodecException codecError)
        {
            // A result this process cannot read fails its own item, nothing else.
            return (index, default!, codecError);
        }
    }
}
