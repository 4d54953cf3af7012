using Distributed.Protocol;
using Distributed.Protocol.V1;

namespace Distributed.Worker;

/// <summary>
/// Starts the deadlines of items whose unit has a timeout, and makes their TIMEOUT errors.
/// </summary>
/// <param name="grace">How long an item may run on after its deadline before the worker is recycled.</param>
/// <param name="time">The clock deadlines run on.</param>
/// <param name="workerId">For errors' origin.</param>
/// <param name="recycle">Ends the worker to stop an item that ran past its grace: given the unit, the item and its error.</param>
internal sealed class ItemTimeouts(TimeSpan grace, TimeProvider time, string workerId, Action<WorkUnit, int, ErrorInfo> recycle)
{
    /// <summary>A deadline for the item's run, or null when its unit has no timeout.</summary>
    public ItemDeadline? Start(WorkUnit unit, int index, string function)
    {
        ulong milliseconds = unit.Message.Options?.TimeoutMs ?? 0;
        if (milliseconds == 0)
        {
            return null;
        }

        return new ItemDeadline(unit, index, TimeSpan.FromMilliseconds(milliseconds), grace, time, (u, i) => recycle(u, i, Error(u, function)));
    }

    /// <summary>The error of an item of <paramref name="unit"/> that ran past its timeout.</summary>
    public ErrorInfo Error(WorkUnit unit, string function)
    {
        var limit = TimeSpan.FromMilliseconds(unit.Message.Options!.TimeoutMs);
        return ErrorCodec.Encode(new TimeoutException(Distributed.Futures.TaskOptions.TimeoutMessage(limit, function)), ErrorKind.Timeout, workerId);
    }
}
