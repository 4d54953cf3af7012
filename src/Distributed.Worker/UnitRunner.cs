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
/// <param name="timeouts">Deadlines for units with a timeout.</param>
internal sealed class UnitRunner(FunctionTable functions, Outbox outbox, string workerId, int streamLimit, Func<WorkUnit, int, bool> startConfirmed, ItemTimeouts timeouts)
{
    /// <summary>
    /// Runs the unit. A sync function runs on the calling thread and the outcome is ready on
    /// return; an async one runs on it up to its first incomplete await, and the rest of the unit
    /// (its later items too) goes on wherever its awaits resume.
    /// </summary>
    /// <returns>The unit's outcome, cut into parts that each fit a message (one part, unless it is very large).</returns>
    public ValueTask<List<(UnitOutcome Outcome, int Size)>> Run(WorkUnit unit)
    {
        long start = Stopwatch.GetTimestamp();
        var outcome = new UnitOutcome { UnitId = unit.Id };
        var resolution = functions.Get(unit.Message.FunctionId);
        var caller = Activity.Current;
        var span = WorkerTrace.Begin(unit.Message, resolution.Name, workerId);
        if (resolution.Function is not { } function)
        {
            FailAll(unit, outcome, resolution.Error!, ErrorKind.Resolution);
        }
        else if (!TryReadArguments(unit, function, out var readers, out var argumentError))
        {
            FailAll(unit, outcome, argumentError, ErrorKind.Arguments);
        }
        else if (function.IsAsync)
        {
            var running = RunItemsAsync(unit, function, readers, outcome, start, span);

            // The rest runs wherever its awaits resume, the span current there; not on this slot thread.
            if (span is not null)
            {
                Activity.Current = caller;
            }

            return running;
        }
        else
        {
            RunItems(unit, function, readers, outcome);
        }

        return new(Finish(unit, outcome, start, resolution.Function, span));
    }

    private List<(UnitOutcome Outcome, int Size)> Finish(WorkUnit unit, UnitOutcome outcome, long start, ResolvedFunction? function, Activity? span)
    {
        outcome.RunNanos = (ulong)Stopwatch.GetElapsedTime(start).Ticks * 100;
        if (span is not null)
        {
            WorkerTrace.End(span, outcome);
        }

        int limit = unit.Message.MaxOutcomeBytes == 0 ? streamLimit : (int)Math.Min(unit.Message.MaxOutcomeBytes, (uint)streamLimit);
        return OutcomeFitting.Fit(outcome, limit, function?.DisplayName ?? "the task", workerId);
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
        var tokens = function.TokenParameters;
        for (int index = 0; index < unit.Count; index++)
        {
            if (!TryBegin(unit, index, outcome, results))
            {
                continue;
            }

            var error = Prepare(unit, index, readers, arguments, tokens, out var token);
            if (error is null)
            {
                var deadline = timeouts.Start(unit, index, function.DisplayName);
                bool timedOut = false;
                try
                {
                    error = AddResult(results, function.Invoke(arguments));
                }
#pragma warning disable CA1031 // Whatever the task throws is its outcome.
                catch (Exception thrown)
#pragma warning restore CA1031
                {
                    error = TaskError(unit, thrown, token);
                }
                finally
                {
                    Array.Clear(arguments);
                    timedOut = deadline?.End() == true;
                    EndTokens(unit, tokens);
                }

                if (timedOut && AddTimeout(unit, index, function, outcome, ref error))
                {
                    continue;
                }
            }

            AddError(outcome, results, index, error);
        }

        outcome.Results = results.ToColumn();
    }

    /// <summary><see cref="RunItems"/> for a function that returns a task: each item's task is awaited before the next item starts.</summary>
    private async ValueTask<List<(UnitOutcome Outcome, int Size)>> RunItemsAsync(
        WorkUnit unit, ResolvedFunction function, ColumnReader[] readers, UnitOutcome outcome, long start, Activity? span)
    {
        var results = new ColumnWriter(function.ReturnType);
        var arguments = new object?[readers.Length];
        var tokens = function.TokenParameters;
        for (int index = 0; index < unit.Count; index++)
        {
            if (!TryBegin(unit, index, outcome, results))
            {
                continue;
            }

            var error = Prepare(unit, index, readers, arguments, tokens, out var token);
            if (error is null)
            {
                var deadline = timeouts.Start(unit, index, function.DisplayName);
                bool timedOut = false;
                try
                {
                    var pending = function.Await(function.Invoke(arguments));
                    Array.Clear(arguments);
                    error = AddResult(results, await pending.ConfigureAwait(false));
                }
#pragma warning disable CA1031 // Whatever the task throws, before or after an await, is its outcome.
                catch (Exception thrown)
#pragma warning restore CA1031
                {
                    error = TaskError(unit, thrown, token);
                }
                finally
                {
                    Array.Clear(arguments);
                    timedOut = deadline?.End() == true;
                    EndTokens(unit, tokens);
                }

                if (timedOut && AddTimeout(unit, index, function, outcome, ref error))
                {
                    continue;
                }
            }

            AddError(outcome, results, index, error);
        }

        outcome.Results = results.ToColumn();
        return Finish(unit, outcome, start, function, span);
    }

    /// <summary>Reads the item's arguments and gives it its tokens; returns its error instead if either fails (it does not run then).</summary>
    private ErrorInfo? Prepare(WorkUnit unit, int index, ColumnReader[] readers, object?[] arguments, IReadOnlyList<int>? tokens, out CancellationToken token)
    {
        token = default;
        return ReadArguments(readers, arguments, index) ?? BeginTokens(unit, index, tokens, arguments, out token);
    }

    /// <summary>
    /// Gives the item's CancellationToken parameters this worker's token for it, which its
    /// client's token signals; returns the item's error instead if that was canceled before it started.
    /// </summary>
    private ErrorInfo? BeginTokens(WorkUnit unit, int index, IReadOnlyList<int>? tokens, object?[] arguments, out CancellationToken token)
    {
        token = default;
        if (tokens is null)
        {
            return null;
        }

        // Canceled already when it was sent (the wire says so), or since: it does not run.
        bool canceledOnTheWire = tokens.Any(position => arguments[position] is CancellationToken { IsCancellationRequested: true });
        if (canceledOnTheWire || !unit.TryStartToken(index, out token))
        {
            Array.Clear(arguments);
            return ErrorCodec.Encode(new OperationCanceledException("The task's CancellationToken was canceled before it started."), ErrorKind.Canceled, workerId);
        }

        foreach (int position in tokens)
        {
            arguments[position] = token;
        }

        return null;
    }

    private static void EndTokens(WorkUnit unit, IReadOnlyList<int>? tokens)
    {
        if (tokens is not null)
        {
            unit.EndToken();
        }
    }

    /// <summary>
    /// What the task threw, as its outcome: canceled when it gave up for its own signaled token,
    /// else its exception, marked retryable when it is one of the unit's retry types.
    /// </summary>
    private ErrorInfo TaskError(WorkUnit unit, Exception thrown, CancellationToken token)
    {
        if (thrown is OperationCanceledException && token.IsCancellationRequested)
        {
            return ErrorCodec.Encode(thrown, ErrorKind.Canceled, workerId);
        }

        var error = ErrorCodec.Encode(thrown, ErrorKind.Task, workerId);
        error.Retryable = TaskOptionsWire.ShouldRetry(unit.Message.Options, thrown);
        return error;
    }

    /// <summary>
    /// An item that ended after its deadline fails with the timeout, whatever it returned or threw.
    /// </summary>
    /// <returns>True if its result was already added, and its error with it: nothing more to add for the item.</returns>
    private bool AddTimeout(WorkUnit unit, int index, ResolvedFunction function, UnitOutcome outcome, ref ErrorInfo? error)
    {
        bool resultAdded = error is null;
        error = timeouts.Error(unit, function.DisplayName);
        if (resultAdded)
        {
            // Its result stays in the column, unread: the error takes precedence for the item.
            outcome.Errors.Add(new ItemError { Index = (uint)index, Error = error });
        }

        return resultAdded;
    }

    /// <summary>Claims an item and says it started; false (and marked skipped) if it was canceled, or the coordinator is gone.</summary>
    private bool TryBegin(WorkUnit unit, int index, UnitOutcome outcome, ColumnWriter results)
    {
        if (!unit.TryStart(index))
        {
            outcome.Skipped.Add((uint)index);
            results.AddPlaceholder();
            return false;
        }

        outbox.ReportProgress(unit.Id, index);
        if (unit.Message.ConfirmStart && !startConfirmed(unit, index))
        {
            // The coordinator is gone: it has given this item to another worker.
            outcome.Skipped.Add((uint)index);
            results.AddPlaceholder();
            return false;
        }

        return true;
    }

    /// <returns>The item's error if an argument cannot be read, else null.</returns>
    private ErrorInfo? ReadArguments(ColumnReader[] readers, object?[] arguments, int index)
    {
        try
        {
            for (int i = 0; i < readers.Length; i++)
            {
                arguments[i] = readers[i].Get(index);
            }

            return null;
        }
        catch (ValueCodecException error)
        {
            Array.Clear(arguments);
            return ErrorCodec.Encode(error, ErrorKind.Arguments, workerId);
        }
    }

    /// <returns>The item's error if its result cannot be encoded, else null (the result was added).</returns>
    private ErrorInfo? AddResult(ColumnWriter results, object? result)
    {
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

    private static void AddError(UnitOutcome outcome, ColumnWriter results, int index, ErrorInfo? error)
    {
        if (error is not null)
        {
            outcome.Errors.Add(new ItemError { Index = (uint)index, Error = error });
            results.AddPlaceholder();
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
