using System.Diagnostics;
using Distributed.Protocol;
using Distributed.Protocol.V1;

namespace Distributed.Worker;

/// <summary>
/// The worker's span of a unit: its run, one span for a call and one for a whole Map chunk, in
/// the trace the call carried. While it is open it is the current Activity, so spans the task
/// makes itself nest under it.
/// </summary>
internal static class WorkerTrace
{
    private static readonly ActivitySource Source = new(DistributedTelemetry.ActivitySourceName);
    private static readonly string Host = Environment.MachineName;
    private static readonly int Pid = Environment.ProcessId;

    /// <summary>Starts the run's span, if anyone listens; null otherwise.</summary>
    public static Activity? Begin(CallUnit unit, string function, string workerId)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        ActivityContext parent = default;
        if (unit.Traceparent.Length > 0)
        {
            // A malformed context starts a trace of its own rather than failing the call.
            _ = ActivityContext.TryParse(unit.Traceparent, unit.Tracestate, isRemote: true, out parent);
        }

        var span = Source.StartActivity("distributed.run", ActivityKind.Server, parent);
        if (span is null)
        {
            return null;
        }

        span.DisplayName = $"run {function}";
        span.SetTag("distributed.function", function);
        span.SetTag("distributed.items", (int)unit.Count - unit.Skip.Count);
        span.SetTag("distributed.worker.id", workerId);
        span.SetTag("host.name", Host);
        span.SetTag("process.pid", Pid);
        span.SetTag("distributed.attempt", (int)unit.Attempt);
        return span;
    }

    /// <summary>Ends the span with what became of the unit's items.</summary>
    public static void End(Activity span, UnitOutcome outcome)
    {
        span.SetTag("distributed.errors", outcome.Errors.Count);
        span.SetTag("distributed.skipped", outcome.Skipped.Count);
        if (outcome.Errors.Count > 0)
        {
            var first = outcome.Errors[0].Error;
            span.SetStatus(ActivityStatusCode.Error, first.Type.Length > 0 ? first.Type : first.Kind.ToString());
        }

        span.Stop();
    }
}
