using Distributed.Coordinator.Engine;
using Distributed.Protocol.V1;

namespace Distributed.Coordinator.Dashboard;

/// <summary>
/// What the dashboard shows beyond the engine's current state: the units that finished lately
/// (which worker ran what, when, for how long), the latest failures with the error as the worker
/// sent it, and the throughput of the last minutes. Recording is O(1) per unit and allocates
/// nothing: entries are structs of references the engine holds anyway, in fixed rings.
/// </summary>
/// <remarks>Guarded by the engine's lock: it is written where outcomes are settled, and copied under the lock.</remarks>
internal sealed class TaskJournal(FunctionCatalog functions, TimeProvider time)
{
    public const int RunCapacity = 200;
    public const int FailureCapacity = 50;
    public const int HistorySeconds = 300;

    private readonly Ring<FinishedRun> _runs = new(RunCapacity);
    private readonly Ring<Failure> _failures = new(FailureCapacity);
    private readonly ThroughputHistory _throughput = new(time, HistorySeconds);

    /// <summary>One unit's run on a worker, ended (or, for a big unit sent back in parts, one part of it).</summary>
    public readonly record struct FinishedRun(
        ulong UnitId, string Function, string WorkerId, string ClientId, int Items, int Failed, DateTimeOffset Started, TimeSpan Duration);

    /// <summary>An item that failed; several items of one unit failed alike count as one, with their number.</summary>
    public readonly record struct Failure(
        DateTimeOffset At, ulong UnitId, uint Index, string Function, string WorkerId, string ClientId, ErrorInfo Error, int Items);

    /// <summary>Everything at one moment, copied out so it can be read without the lock.</summary>
    public sealed record Copy(FinishedRun[] Runs, Failure[] Failures, ThroughputHistory.Second[] Seconds);

    /// <summary>
    /// A worker reported <paramref name="ran"/> items of a unit ended, <paramref name="failed"/> of
    /// them with an error (each also given to <see cref="FailedOnWorker"/>); <paramref name="runNanos"/>
    /// is how long the unit ran as the worker measured it, or 0 when it did not say (then the time
    /// since it was assigned counts).
    /// </summary>
    public void Ran(UnitRecord record, WorkerSession worker, int ran, int failed, ulong runNanos)
    {
        if (ran == 0)
        {
            return;
        }

        var now = time.GetUtcNow();
        var duration = runNanos > 0 ? TimeSpan.FromTicks((long)(runNanos / 100)) : time.GetElapsedTime(record.AssignedAt);
        _runs.Add(new FinishedRun(record.Id, functions.NameOf(record.FunctionId), worker.Id, record.Client.Id, ran, failed, now - duration, duration));
        _throughput.Count(ran, failed);
    }

    /// <summary>An item a worker ran ended with <paramref name="error"/>.</summary>
    public void FailedOnWorker(UnitRecord record, WorkerSession worker, uint index, ErrorInfo error) =>
        _failures.Add(new Failure(time.GetUtcNow(), record.Id, index, functions.NameOf(record.FunctionId), worker.Id, record.Client.Id, error, 1));

    /// <summary>
    /// The coordinator itself failed <paramref name="items"/> open items of a unit with one error
    /// (its worker died on every attempt, a timeout, no worker, a broken pool); cancels are no failures.
    /// </summary>
    public void FailedHere(UnitRecord record, ErrorInfo error, uint firstIndex, int items)
    {
        if (items == 0 || error.Kind == ErrorKind.Canceled)
        {
            return;
        }

        _throughput.Count(items, items);
        string worker = error.WorkerId.Length > 0 ? error.WorkerId : record.Worker?.Id ?? string.Empty;
        _failures.Add(new Failure(time.GetUtcNow(), record.Id, firstIndex, functions.NameOf(record.FunctionId), worker, record.Client.Id, error, items));
    }

    /// <summary>The queue as it is now, for the plot of its depth.</summary>
    public void Sample(ulong queued, ulong running) => _throughput.Sample(queued, running);

    public Copy Take() => new(_runs.NewestFirst(), _failures.NewestFirst(), _throughput.Copy());
}
