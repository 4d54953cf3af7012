using System.Diagnostics;
using Distributed.Protocol;
using Distributed.Protocol.V1;

namespace Distributed.Remoting;

/// <summary>
/// The client's span of a remote call (a submit, or one Map chunk): from the submit to the unit's
/// last outcome. The call carries the W3C trace context, so the coordinator's and the worker's
/// spans join the same trace.
/// </summary>
internal static class ClientTrace
{
    private static readonly ActivitySource Source = new(DistributedTelemetry.ActivitySourceName);

    /// <summary>
    /// Starts the call's span if anyone listens (null otherwise: nothing is allocated), and writes
    /// into the unit the trace context it carries: its span's, or else the caller's own current
    /// Activity's, so a user's trace reaches the worker even when nobody listens to this library.
    /// </summary>
    public static Activity? Begin(CallUnit unit, string function)
    {
        var caller = Activity.Current;
        Activity? span = null;
        if (Source.HasListeners())
        {
            span = Source.StartActivity("distributed.call", ActivityKind.Client);
            if (span is not null)
            {
                span.DisplayName = $"call {function}";
                span.SetTag("distributed.function", function);
                span.SetTag("distributed.items", (int)unit.Count);

                // The span stays open past this call: the caller's code goes on under its own Activity.
                Activity.Current = caller;
            }
        }

        if ((span ?? caller) is { IdFormat: ActivityIdFormat.W3C } context)
        {
            unit.Traceparent = context.Id!;
            if (context.TraceStateString is { } state)
            {
                unit.Tracestate = state;
            }
        }

        return span;
    }

    /// <summary>At least one of the unit's items ended with an error: the span says so (with the first one's type).</summary>
    public static void MarkFailed(Activity span, ErrorInfo error)
    {
        if (span.Status != ActivityStatusCode.Error)
        {
            span.SetStatus(ActivityStatusCode.Error, error.Type.Length > 0 ? error.Type : error.Kind.ToString());
        }
    }

    /// <summary>The whole unit failed here (refused, or its client broke): the span ends with the error.</summary>
    public static void Fail(Activity span, Exception error)
    {
        span.SetStatus(ActivityStatusCode.Error, error.GetType().FullName);
        span.Stop();
    }
}
