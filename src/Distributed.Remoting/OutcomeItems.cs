using Distributed.Protocol;
using Distributed.Protocol.V1;

namespace Distributed.Remoting;

/// <summary>
/// The items one outcome settles, each with its result or its exception, decoded as they are
/// read. Both kinds of a unit's client half (futures, Map chunk) read outcomes this way, and
/// outside any lock of theirs: decoding may run user code (a JSON converter, an exception's
/// constructor). A struct read in a loop, so reading allocates nothing of its own (one per task
/// adds up at a hundred thousand tasks a second).
/// </summary>
internal struct OutcomeItems<TResult>
{
    private readonly UnitOutcome _outcome;
    private readonly Type _wireResultType;
    private readonly OutcomeRange _range;
    private readonly HashSet<uint>? _skipped;
    private readonly Dictionary<uint, ErrorInfo>? _errors;
    private ColumnReader? _results;
    private int _next;

    /// <param name="outcome">The outcome (perhaps one part of a unit's, see <see cref="OutcomeRange"/>).</param>
    /// <param name="count">How many items the unit has.</param>
    /// <param name="wireResultType">The called method's return type, which the worker encoded the results by.</param>
    public OutcomeItems(UnitOutcome outcome, int count, Type wireResultType)
    {
        _outcome = outcome;
        _wireResultType = wireResultType;
        _range = OutcomeRange.Of(outcome, count);
        _skipped = outcome.Skipped.Count == 0 ? null : outcome.Skipped.ToHashSet();
        _errors = outcome.Errors.Count == 0 ? null : outcome.Errors.ToDictionary(e => e.Index, e => e.Error);
        _next = _range.From;
    }

    /// <summary>The next item the outcome settles: its result, or (with a default result) its exception.</summary>
    /// <returns>False once every item was read.</returns>
    public bool MoveNext(out int index, out TResult result, out Exception? error)
    {
        while (_next < _range.To)
        {
            index = _next++;
            if (_skipped?.Contains((uint)index) == true)
            {
                continue;
            }

            result = default!;
            if (_errors?.TryGetValue((uint)index, out var failure) == true)
            {
                error = ErrorCodec.Decode(failure);
                return true;
            }

            try
            {
                _results ??= new ColumnReader(_outcome.Results ?? new Column(), _wireResultType);
                result = ResultCast.To<TResult>(_results.Get(index - _range.From));
                error = null;
            }
            catch (ValueCodecException codecError)
            {
                // A result this process cannot read fails its own item, nothing else.
                error = codecError;
            }

            return true;
        }

        index = -1;
        result = default!;
        error = null;
        return false;
    }
}
