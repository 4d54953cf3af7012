using System.Text;
using System.Text.Json.Serialization;
using Distributed.Coordinator.Telemetry;
using Distributed.Protocol.V1;

namespace Distributed.Coordinator.Dashboard;

/// <summary>
/// What <c>GET /api/status</c> answers and <c>/events</c> pushes, as JSON (camelCase): the
/// coordinator's health, totals, workers, clients, the throughput of the last minutes (one entry a
/// second, oldest first), the units that finished lately and the latest failures (newest first).
/// </summary>
internal sealed record DashboardSnapshot(
    DateTimeOffset At,
    DashboardSnapshot.HealthState Health,
    DashboardSnapshot.TotalCounts Totals,
    IReadOnlyList<DashboardSnapshot.WorkerRow> Workers,
    IReadOnlyList<DashboardSnapshot.ClientRow> Clients,
    DashboardSnapshot.ThroughputSeries History,
    IReadOnlyList<DashboardSnapshot.RunRow> Runs,
    IReadOnlyList<DashboardSnapshot.FailureRow> Failures)
{
    /// <summary>State: healthy, no-workers (none connected: tasks would wait), or unhealthy (broken, or tasks waiting with no worker); Text: the health in words.</summary>
    public sealed record HealthState(string State, string Text, string Broken, ulong WithoutWorkersMs, ulong NoWorkerTimeoutMs);

    public sealed record TotalCounts(ulong Queued, ulong Running, ulong Completed, ulong Failed, uint Clients, int Workers);

    /// <summary>A connected worker; its memory as it last reported it, null when it does not report it.</summary>
    public sealed record WorkerRow(
        string Id, string Host, int Pid, uint Slots, ulong Running, ulong Assigned, ulong Completed, ulong Failed, ulong SinceHeardMs, ulong? WorkingSetBytes, ulong? ManagedHeapBytes);

    public sealed record ClientRow(string Id, int OpenUnits, DateTimeOffset ConnectedAt, double SinceHeardMs);

    /// <summary>Per second, oldest first, the last ending at <see cref="DashboardSnapshot.At"/>.</summary>
    public sealed record ThroughputSeries(int PeriodSeconds, int[] Completed, int[] Failed, ulong[] Queued, ulong[] Running);

    /// <summary>A finished unit (a call, or a Map chunk of Items items), by the coordinator's id of it.</summary>
    public sealed record RunRow(ulong UnitId, string Function, string Worker, string Client, int Items, int Failed, DateTimeOffset Started, double DurationMs);

    /// <summary>
    /// A failure. Kind: exception (the task threw), worker_lost, timeout, broken, rejected;
    /// StackTrace: the remote stack trace as the worker sent it, inner exceptions after it; Items:
    /// how many items of the unit failed alike.
    /// </summary>
    public sealed record FailureRow(
        DateTimeOffset At, ulong UnitId, uint Index, string Function, string Worker, string Client, string Kind, string Type, string Message, string StackTrace, int Items);

    public static DashboardSnapshot From(EngineView view)
    {
        var status = view.Status;
        var seconds = view.Journal.Seconds;
        return new DashboardSnapshot(
            view.At,
            HealthOf(status),
            new TotalCounts(status.QueuedItems, status.RunningItems, status.CompletedItems, status.FailedItems, status.Clients, status.Workers.Count),
            status.Workers.Select(w => new WorkerRow(
                w.WorkerId, w.Host, w.Pid, w.Slots, w.RunningItems, w.AssignedItems, w.CompletedItems, w.FailedItems, w.SinceHeardMs,
                w.WorkingSetBytes == 0 ? null : w.WorkingSetBytes,
                w.ManagedHeapBytes == 0 ? null : w.ManagedHeapBytes)).ToList(),
            view.Clients.Select(c => new ClientRow(c.Id, c.OpenUnits, c.ConnectedAt, Math.Max(0, c.SinceHeard.TotalMilliseconds))).ToList(),
            new ThroughputSeries(
                1,
                seconds.Select(s => s.Completed).ToArray(),
                seconds.Select(s => s.Failed).ToArray(),
                seconds.Select(s => s.Queued).ToArray(),
                seconds.Select(s => s.Running).ToArray()),
            view.Journal.Runs.Select(r => new RunRow(r.UnitId, r.Function, r.WorkerId, r.ClientId, r.Items, r.Failed, r.Started, r.Duration.TotalMilliseconds)).ToList(),
            view.Journal.Failures.Select(f => new FailureRow(
                f.At, f.UnitId, f.Index, f.Function, f.WorkerId, f.ClientId, CoordinatorMetrics.OutcomeOf(f.Error.Kind), f.Error.Type, f.Error.Message, StackTraceOf(f.Error), f.Items)).ToList());
    }

    private static HealthState HealthOf(StatusReply status)
    {
        // The coordinator calls itself healthy without a worker while nothing waits; a person
        // watching should still see that nothing could run.
        string state = !status.Healthy ? "unhealthy" : status.Workers.Count == 0 ? "no-workers" : "healthy";
        string text = state == "no-workers" ? "no worker is connected" : status.Health;
        return new HealthState(state, text, status.Broken, status.WithoutWorkersMs, status.NoWorkerTimeoutMs);
    }

    private static string StackTraceOf(ErrorInfo error)
    {
        if (error.Inner is null)
        {
            return error.StackTrace;
        }

        var text = new StringBuilder(error.StackTrace);
        for (var inner = error.Inner; inner is not null; inner = inner.Inner)
        {
            text.Append("\n---> ").Append(inner.Type).Append(": ").Append(inner.Message).Append('\n').Append(inner.StackTrace);
        }

        return text.ToString();
    }
}

/// <summary>The dashboard's JSON, generated at build time (no reflection over the records).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(DashboardSnapshot))]
internal sealed partial class DashboardJson : JsonSerializerContext;
