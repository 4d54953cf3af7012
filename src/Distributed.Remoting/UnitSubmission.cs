using Distributed.Futures;
using Distributed.Protocol;
using Distributed.Protocol.Functions;

namespace Distributed.Remoting;

/// <summary>How every client turns calls into a unit on the wire: the same steps for a process pool and a cluster.</summary>
internal static class UnitSubmission
{
    /// <summary>
    /// Describes the function (an <see cref="ArgumentException"/> if it cannot be sent), encodes the
    /// arguments, creates the unit's client half and sends it. An item whose argument cannot be
    /// encoded fails its own future and is never sent; so does a unit too large to reach a worker.
    /// </summary>
    /// <param name="sender">Gets the client to send with; asked only once the function has passed, so
    /// a function that cannot be sent starts no workers and opens no connection.</param>
    /// <param name="calls">Calls to one function: a submit, or a Map chunk.</param>
    /// <param name="create">Creates the unit's client half: futures, or a chunk.</param>
    public static TUnit Submit<TResult, TUnit>(
        Func<IUnitSender> sender,
        IReadOnlyList<ExecutorCall<TResult>> calls,
        Func<IUnitLink, ulong, Type, TUnit> create)
        where TUnit : IUnitFutures
    {
        var function = calls[0].Function;
        var reference = FunctionIdentity.Describe(function);
        if (!calls[0].IsAsync && TaskShapes.WireResultType(function.Method.ReturnType) != function.Method.ReturnType)
        {
            // Bound to the sync form by explicit type arguments: the future would hold the Task itself, which cannot cross.
            throw new ArgumentException(
                $"{reference.TypeName}.{reference.MethodName} returns a {TypeNames.Display(function.Method.ReturnType)}, which cannot be sent back as a value; " +
                "submit it without explicit type arguments, so its future holds the awaited result.",
                nameof(calls));
        }

        var (parameterTypes, returnType) = FunctionIdentity.Signature(function);
        var client = sender();
        string name = $"{reference.TypeName}.{reference.MethodName}";
        var (unit, failures) = CallEncoder.Encode(0, calls, parameterTypes, name);
        unit.Options = TaskOptionsWire.ToWire(calls[0].Options);
        var futures = create(client, client.Units.NextUnitId(), returnType);
        var span = ClientTrace.Begin(unit, name);
        var (limit, setting) = client.CallLimit;
        if (unit.CalculateSize() is var size && size > limit)
        {
            // It could never reach a worker: it fails here, on its own futures, and nothing else is touched.
            var tooLarge = new ArgumentException($"The call to {name} is {size:N0} bytes encoded, more than the {limit:N0}-byte message limit ({setting}).");
            futures.FailAll(tooLarge);
            if (span is not null)
            {
                ClientTrace.Fail(span, tooLarge);
            }

            return futures;
        }

        if (span is not null)
        {
            // Before sending: the last outcome may arrive before Send returns, and it ends the span.
            client.Units.Track(futures.UnitId, span);
        }

        try
        {
            client.Send(unit, reference, futures);
            client.Units.Metrics.Sent(calls.Count - unit.Skip.Count, size);
        }
        catch (Exception refused) when (span is not null)
        {
            ClientTrace.Fail(span, refused);
            client.Units.Forget(futures.UnitId);
            throw;
        }
        if (failures is not null)
        {
            foreach (var (index, error) in failures)
            {
                futures.FailUnsent(index, error);
            }
        }

        return futures;
    }
}
