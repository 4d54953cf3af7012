using System.Diagnostics;
using Distributed.Protocol;
using Distributed.Protocol.V1;

namespace Distributed.Worker;

/// <summary>
/// Runs one unit on the calling slot thread: decodes each item's arguments, invokes the function,
/// encodes the result or the exception. Every item gets its own outcome; nothing an item does can
/// fail another item or the worker.
/// </summary>
/// <param name="functions">The functions the coordinator named.</param>
/// <param name="outbox">Where progress goes.</param>
/// <param name="workerId">For errors' origin.</param>
/// <param name="streamLimit">The largest message the worker's stream carries (its own limit and the coordinator's).</param>
/// <param name="startConfirmed">For a unit that confirms starts: sends the item's start at once and waits for the
/// coordinator's word; false if the session ended first.</param>
internal sealed class UnitRunner(FunctionTable functions, Outbox outbox, string workerId, int streamLimit, Func<WorkUnit, int, bool> startConfirmed)
{
    /// <returns>The unit's outcome, cut into parts that each fit a message (one part, unless it is very large).</returns>
    public List<(UnitOutcome Outcome, int Size)> Run(WorkUnit unit)
    {
        long start = Stopwatch.GetTimestamp();
        var outcome = new UnitOutcome { UnitId = unit.Id };
        var resolution = functions.Get(unit.Message.FunctionId);
        if (resolution.Function is not { } function)
        {
            FailAll(unit, outcome, resolution.Error!, ErrorKind.Resolution);
        }
        else if (TryReadArguments(unit, function, out var readers, out var argumentError))
        {
            RunItems(unit, function, readers, outcome);
        }
        else
        {
            FailAll(unit, outcome, argumentError, ErrorKind.Arguments);
        }

        outcome.RunNanos = (ulong)Stopwatch.GetElapsedTime(start).Ticks * 100;
        int limit = unit.Message.MaxOutcomeBytes == 0 ? streamLimit : (int)Math.Min(unit.Message.MaxOutcomeBytes, (uint)streamLimit);
        return OutcomeFitting.Fit(outcome, limit, resolution.Function?.DisplayName ?? "the task", workerId);
    }

    private static bool TryReadArguments(WorkUnit unit, ResolvedFunction function, out ColumnReader[] readers, out Exception error)
    {
        readers = [];
        error = null!;
        var columns = unit.Message.Arguments;
        if (columns.Count != function.ParameterTypes.Count)
        {
            error = new ArgumentException(
                $"{function.DisplayName} takes {function.ParameterTypes.Count} arguments but the call carries {columns.Count}.");
            return false;
        }

        try
        {
            readers = new ColumnReader[columns.Count];
            for (int i = 0; i < columns.Count; i++)
            {
                readers[i] = new ColumnReader(columns[i], function.ParameterTypes[i]);
                if (readers[i].Count != unit.Count)
                {
                    throw new ValueCodecException(
                        $"Argument {i} of {function.DisplayName} holds {readers[i].Count} values for {unit.Count} items.");
                }
            }

            return true;
        }
        catch (ValueCodecException codecError)
        {
            error = codecError;
            return false;
        }
    }

    private void RunItems(WorkUnit unit, ResolvedFunction function, ColumnReader[] readers, UnitOutcome outcome)
    {
        var results = new ColumnWriter(function.ReturnType);
        var arguments = new object?[readers.Length];
        for (int index = 0; index < unit.Count; index++)
        {
            if (!unit.TryStart(index))
            {
                outcome.Skipped.Add((uint)index);
                results.AddPlaceholder();
                continue;
            }

            outbox.ReportProgress(unit.Id, index);
            if (unit.Message.ConfirmStart && !startConfirmed(unit, index))
            {
                // The coordinator is gone: it has given this item to another worker.
                outcome.Skipped.Add((uint)index);
                results.AddPlaceholder();
                continue;
            }

            var error = RunItem(function, readers, arguments, index, results);
            if (error is not null)
            {
                outcome.Errors.Add(new ItemError { Index = (uint)index, Error = error });
                results.AddPlaceholder();
            }
        }

        outcome.Results = results.ToColumn();
    }

    /// <returns>The item's error, or null when its result was added.</returns>
    private ErrorInfo? RunItem(ResolvedFunction function, ColumnReader[] readers, object?[] arguments, int index, ColumnWriter results)
    {
        try
        {
            for (int i = 0; i < readers.Length; i++)
            {
                arguments[i] = readers[i].Get(index);
            }
        }
        catch (ValueCodecException error)
        {
            return ErrorCodec.Encode(error, ErrorKind.Arguments, workerId);
        }

        object? result;
        try
        {
            result = function.Invoke(arguments);
        }
#pragma warning disable CA1031 // Whatever the task throws is its outcome.
        catch (Exception error)
#pragma warning restore CA1031
        {
            return ErrorCodec.Encode(error, ErrorKind.Task, workerId);
        }
        finally
        {
            Array.Clear(arguments);
        }

        try
        {
            results.Add(result);
            return null;
        }
        catch (ValueCodecException error)
        {
            return ErrorCodec.Encode(error, ErrorKind.Result, workerId);
        }
    }

    private void FailAll(WorkUnit unit, UnitOutcome outcome, Exception error, ErrorKind kind)
    {
        var encoded = ErrorCodec.Encode(error, kind, workerId);
        var results = new ColumnWriter(typeof(void));
        for (int index = 0; index < unit.Count; index++)
        {
            results.AddPlaceholder();
            if (unit.TryStart(index))
            {
                outcome.Errors.Add(new ItemError { Index = (uint)index, Error = encoded });
            }
            else
            {
                outcome.Skipped.Add((uint)index);
            }
        }

        outcome.Results = results.ToColumn();
    }
}
