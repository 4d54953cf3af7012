using System.Diagnostics;
using Distributed.Coordinator.Engine;
using Distributed.Protocol;

namespace Distributed.Coordinator.Telemetry;

/// <summary>
/// The coordinator's span of a unit: the time it waited in the queue, from joining it to going to
/// a worker (again, for a unit that runs once more). It joins the trace the call carried; made
/// only when someone listens, and then only when the wait is over, so a queued unit holds nothing.
/// </summary>
internal static class CoordinatorTrace
{
    private static readonly ActivitySource Source = new(DistributedTelemetry.ActivitySourceName);

    /// <summary>Records the wait that ends now, as the unit goes to <paramref name="workerId"/>.</summary>
    /// <remarks>Runs under the engine's lock: it only starts and stops one Activity.</remarks>
    public static void LeftQueue(UnitRecord record, FunctionCatalog functions, string workerId, TimeProvider time, long now)
    {
        if (!Source.HasListeners())
        {
            return;
        }

        ActivityContext parent = default;
        if (record.Trace is { } trace)
        {
            // A malformed context from a client starts a trace of its own rather than failing anything.
            _ = ActivityContext.TryParse(trace.Parent, trace.State, isRemote: true, out parent);
        }

        var end = time.GetUtcNow();
        var start = end - time.GetElapsedTime(record.QueuedAt, now);
        using var span = Source.StartActivity("distributed.queue", ActivityKind.Internal, parent, startTime: start);
        if (span is null)
        {
            return;
        }

        string function = functions.NameOf(record.FunctionId);
        span.DisplayName = $"queue {function}";
        span.SetTag("distributed.function", function);
        span.SetTag("distributed.items", record.OpenItems);
        span.SetTag("distributed.client.id", record.Client.Id);
        span.SetTag("distributed.worker.id", workerId);
        span.SetTag("distributed.attempt", record.Dispatches);
        span.SetEndTime(end.UtcDateTime);
    }
}
