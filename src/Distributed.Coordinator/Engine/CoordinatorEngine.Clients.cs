using Distributed.Protocol;
using Distributed.Protocol.V1;

namespace Distributed.Coordinator.Engine;

internal sealed partial class CoordinatorEngine
{
    public ClientSession OpenClient(string id, IClientSink sink)
    {
        var client = new ClientSession(id, sink);
        lock (_sync)
        {
            _clients.Add(client);
        }

        return client;
    }

    /// <summary>
    /// Queues a unit. Its unit id is the client's own; the engine takes the message over. A unit the
    /// engine cannot accept is failed at once, through the client's sink, never thrown at the client.
    /// </summary>
    /// <exception cref="InvalidOperationException">The client was closed.</exception>
    public void Submit(ClientSession client, CallUnit unit)
    {
        var deliveries = new Deliveries();
        lock (_sync)
        {
            if (client.Closed)
            {
                throw new InvalidOperationException("cannot schedule new futures after shutdown");
            }

            var record = new UnitRecord(++_nextUnitId, client, unit);
            if (Validate(client, unit) is { } problem)
            {
                Log.UnitRejected(logger, client.Id, problem);
                deliveries.Outcome(client, FailedOutcome(record, Rejection(problem)));
            }
            else if (_broken is { } broken)
            {
                deliveries.Outcome(client, FailedOutcome(record, broken));
            }
            else if (record.OpenItems > 0)
            {
                unit.UnitId = record.Id;
                client.Units[record.ClientUnitId] = record;
                _units[record.Id] = record;
                record.QueueNode = _queue.AddLast(record);
                DispatchLocked(deliveries);
            }
        }

        deliveries.Flush();
    }

    /// <summary>
    /// Cancels one item if no worker has started it. A queued item is canceled at once; an item
    /// already sent to a worker takes a round trip, because only the worker knows whether it started.
    /// </summary>
    /// <returns>True if the item will never run (now or before); false if it started or finished.</returns>
    public Task<bool> CancelAsync(ClientSession client, ulong clientUnitId, uint index)
    {
        var deliveries = new Deliveries();
        Task<bool> answer;
        lock (_sync)
        {
            answer = CancelLocked(client, clientUnitId, index, deliveries);
        }

        deliveries.Flush();
        return answer;
    }

    /// <summary>The client submits no more. With <paramref name="cancelQueued"/>, its items still in the queue are canceled.</summary>
    /// <returns>How many queued items were canceled.</returns>
    public int CloseClient(ClientSession client, bool cancelQueued)
    {
        var deliveries = new Deliveries();
        int canceled;
        lock (_sync)
        {
            canceled = CloseClientLocked(client, cancelQueued, deliveries);
        }

        deliveries.Flush();
        return canceled;
    }

    /// <summary>
    /// The client went away: what it had queued is canceled and freed, and it is forgotten. What
    /// was already running finishes; its outcomes have nowhere to go.
    /// </summary>
    /// <returns>How many queued items were canceled.</returns>
    public int DetachClient(ClientSession client)
    {
        var deliveries = new Deliveries();
        int canceled;
        lock (_sync)
        {
            canceled = CloseClientLocked(client, cancelQueued: true, deliveries);
            _clients.Remove(client);
        }

        deliveries.Flush();
        return canceled;
    }

    /// <summary>The coordinator is shutting down: no client may submit any more.</summary>
    public void StopAccepting(bool cancelQueued)
    {
        var deliveries = new Deliveries();
        lock (_sync)
        {
            foreach (var client in _clients)
            {
                CloseClientLocked(client, cancelQueued, deliveries);
            }
        }

        deliveries.Flush();
    }

    /// <summary>Completes when the client has no open item left.</summary>
    public Task WhenIdleAsync(ClientSession client)
    {
        lock (_sync)
        {
            if (client.Units.Count == 0)
            {
                return Task.CompletedTask;
            }

            client.Idle ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return client.Idle.Task;
        }
    }

    private int CloseClientLocked(ClientSession client, bool cancelQueued, Deliveries deliveries)
    {
        client.Closed = true;
        if (!cancelQueued)
        {
            return 0;
        }

        int canceled = 0;
        foreach (var record in client.Units.Values.Where(r => r.Worker is null).ToList())
        {
            for (uint index = 0; index < record.Count; index++)
            {
                if (record.IsOpen(index))
                {
                    record.Cancel(index);
                    canceled++;
                }
            }

            ForgetIfClosedLocked(record, deliveries);
        }

        return canceled;
    }

    private static ErrorInfo Rejection(string problem) => new() { Kind = ErrorKind.Rejected, Type = typeof(ArgumentException).FullName, Message = problem };

    private static UnitOutcome FailedOutcome(UnitRecord record, ErrorInfo error)
    {
        var outcome = new UnitOutcome { UnitId = record.ClientUnitId };
        for (uint index = 0; index < record.Count; index++)
        {
            if (record.IsOpen(index))
            {
                outcome.Errors.Add(new ItemError { Index = index, Error = error });
            }
            else
            {
                outcome.Skipped.Add(index);
            }
        }

        return outcome;
    }

    private string? Validate(ClientSession client, CallUnit unit)
    {
        if (unit.Count == 0)
        {
            return $"Unit {unit.UnitId} has no items.";
        }

        if (unit.FunctionId >= _functions.Count)
        {
            return $"Unit {unit.UnitId} names function {unit.FunctionId}, which was never defined.";
        }

        if (client.Units.ContainsKey(unit.UnitId))
        {
            return $"Unit id {unit.UnitId} is already in use by this client.";
        }

        var wrongLength = unit.Arguments.Select((column, i) => (column, i)).FirstOrDefault(a => a.column.Count != unit.Count);
        return wrongLength.column is not null
            ? $"Argument {wrongLength.i} of unit {unit.UnitId} holds {wrongLength.column.Count} values for {unit.Count} items."
            : null;
    }

    private Task<bool> CancelLocked(ClientSession client, ulong clientUnitId, uint index, Deliveries deliveries)
    {
        if (!client.Units.TryGetValue(clientUnitId, out var record) || !record.IsOpen(index))
        {
            return Task.FromResult(record?.IsCanceled(index) ?? false);
        }

        if (record.Worker is not { } worker)
        {
            record.Cancel(index);
            ForgetIfClosedLocked(record, deliveries);
            return Task.FromResult(true);
        }

        if (record.StartedIndex >= (int)index)
        {
            return Task.FromResult(false);
        }

        ulong requestId = ++_nextCancelId;
        var reply = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pendingCancels[requestId] = new PendingCancel(reply, record, index, worker);
        worker.Mailbox.Post(m => m.Cancels.Add(new CancelRequest { RequestId = requestId, UnitId = record.Id, Index = index }));
        return reply.Task;
    }
}
