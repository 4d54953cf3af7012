using System.Diagnostics;
using Distributed.Coordinator.Wire;
using Distributed.Protocol.V1;

namespace Distributed.Coordinator.Engine;

internal sealed partial class CoordinatorEngine
{
    /// <param name="id">For logs.</param>
    /// <param name="sink">Where the client's news goes.</param>
    /// <param name="abort">Ends a remote client's stream when it falls silent; null for the embedded pool.</param>
    public ClientSession OpenClient(string id, IClientSink sink, Action<string>? abort = null)
    {
        var client = new ClientSession(id, sink, _hearing, abort);
        lock (_sync)
        {
            _clients.Add(client);
        }

        return client;
    }

    /// <summary>A unit made in this process (the embedded pool's): its columns are encoded once, here, as a remote client's arrive.</summary>
    /// <inheritdoc cref="Submit(ClientSession, ForwardedUnit)"/>
    public void Submit(ClientSession client, CallUnit unit) => Submit(client, ForwardedUnits.From(unit));

    /// <summary>
    /// Queues a unit. Its unit id is the client's own; the engine takes the message over. A unit the
    /// engine cannot accept is refused at once, through the client's sink, never thrown at the
    /// client; its counts are checked before anything is allocated from them.
    /// </summary>
    /// <exception cref="InvalidOperationException">The client was closed.</exception>
    public void Submit(ClientSession client, ForwardedUnit unit)
    {
        var deliveries = new Deliveries();
        lock (_sync)
        {
            if (client.Closed)
            {
                throw new InvalidOperationException("cannot schedule new futures after shutdown");
            }

            if (Validate(client, unit) is { } problem)
            {
                Log.UnitRejected(logger, client.Id, problem);
                deliveries.Rejected(client, unit.UnitId, Rejection(problem));
            }
            else if (_broken is { } broken)
            {
                deliveries.Rejected(client, unit.UnitId, broken);
            }
            else
            {
                unit.MaxOutcomeBytes = (uint)OutcomeLimit(client);
                var record = new UnitRecord(++_nextUnitId, client, unit, unit.CalculateSize());
                if (record.OpenItems > 0)
                {
                    client.Units[record.ClientUnitId] = record;
                    _queue.AddLast(record);
                    DispatchLocked(deliveries);
                }
            }

            AssertInvariantsLocked();
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
            AssertInvariantsLocked();
        }

        deliveries.Flush();
        return answer;
    }

    /// <summary>
    /// Cancels, in one step, every item of the request that no worker has started: those still
    /// queued at once, and those a worker holds once the worker confirms they had not started
    /// (each worker is asked in the one message it gets next).
    /// </summary>
    /// <returns>Completes, once every worker asked has answered (or is gone), with every item canceled.</returns>
    public Task<Withdrawn> Withdraw(ClientSession client, Withdrawal request)
    {
        var withdrawal = new WithdrawalInProgress(request.RequestId);
        var deliveries = new Deliveries();
        lock (_sync)
        {
            foreach (var (record, from) in Targets(client, request))
            {
                WithdrawLocked(record, from, withdrawal, deliveries, clientGone: false);
            }

            if (withdrawal.Outstanding == 0)
            {
                deliveries.Answer(withdrawal.Done, withdrawal.Answer);
            }

            AssertInvariantsLocked();
        }

        deliveries.Flush();
        return withdrawal.Done.Task;
    }

    /// <summary>The client submits no more. With <paramref name="cancelQueued"/>, what it has not started is withdrawn and it is told so.</summary>
    public void CloseClient(ClientSession client, bool cancelQueued)
    {
        lock (_sync)
        {
            client.Closed = true;
        }

        if (cancelQueued)
        {
            _ = Withdraw(client, new Withdrawal { All = true }).ContinueWith(
                answer => client.Sink.OnWithdrawn(answer.Result),
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously | TaskContinuationOptions.OnlyOnRanToCompletion,
                TaskScheduler.Default);
        }
    }

    /// <summary>
    /// The client went away: what it had not started is canceled and freed (a worker holding some
    /// of it is told in one message), and it is forgotten. What was already running finishes; its
    /// outcomes have nowhere to go.
    /// </summary>
    /// <returns>How many queued items were canceled.</returns>
    public int DetachClient(ClientSession client)
    {
        var deliveries = new Deliveries();
        int canceled = 0;
        lock (_sync)
        {
            client.Closed = true;
            var nobodyWaits = new WithdrawalInProgress(0);
            foreach (var record in client.Units.Values.ToList())
            {
                canceled += WithdrawLocked(record, 0, nobodyWaits, deliveries, clientGone: true);
            }

            _clients.Remove(client);
            AssertInvariantsLocked();
        }

        deliveries.Flush();
        return canceled;
    }

    /// <summary>The coordinator is shutting down: no client may submit any more.</summary>
    public void StopAccepting(bool cancelQueued)
    {
        List<ClientSession> clients;
        lock (_sync)
        {
            clients = [.. _clients];
        }

        clients.ForEach(client => CloseClient(client, cancelQueued));
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

    private static ErrorInfo Rejection(string problem) => new() { Kind = ErrorKind.Rejected, Type = typeof(ArgumentException).FullName, Message = problem };

    /// <summary>The largest outcome message that can reach the client: its own limit and the coordinator's.</summary>
    private int OutcomeLimit(ClientSession client) =>
        client.MaxOutcomeBytes > 0 ? Math.Min(client.MaxOutcomeBytes, options.MaxMessageBytes) : options.MaxMessageBytes;

    private static IEnumerable<(UnitRecord Record, uint From)> Targets(ClientSession client, Withdrawal request)
    {
        if (request.All)
        {
            return client.Units.Values.Select(record => (record, 0u)).ToList();
        }

        return request.UnitIds.Select(id => (id, 0u))
            .Concat(request.From.Select(from => (from.UnitId, from.Index)))
            .Select(target => (Record: client.Units.GetValueOrDefault(target.Item1), From: target.Item2))
            .Where(target => target.Record is not null)
            .Select(target => (target.Record!, target.From))
            .ToList();
    }

    /// <summary>
    /// Cancels the unit's items from <paramref name="from"/> on that have not started. Queued, they
    /// are canceled now and listed in the withdrawal's answer (the whole unit by its id when every
    /// item was still open); held by a worker, the worker is asked, in the one message it gets next.
    /// </summary>
    /// <param name="record">The unit.</param>
    /// <param name="from">Its first item to withdraw.</param>
    /// <param name="withdrawal">Collects what was canceled, and counts the workers' answers to wait for.</param>
    /// <param name="deliveries">Collects what to tell afterwards.</param>
    /// <param name="clientGone">The client went away: even items it was told were running are dropped, as no one waits for them.</param>
    /// <returns>How many items were canceled now.</returns>
    private int WithdrawLocked(UnitRecord record, uint from, WithdrawalInProgress withdrawal, Deliveries deliveries, bool clientGone)
    {
        Debug.Assert(Monitor.IsEntered(_sync));
        var answer = withdrawal.Answer;
        int canceled = 0;
        if (record.Worker is not { } worker)
        {
            // By id only when no item was ever settled or started: the client then cancels all it
            // holds open, and no outcome of this unit can still be on its way to it. An item that
            // was reported started before its worker died runs on, as its client was told.
            bool whole = from == 0 && record.OpenItems == record.Count && !record.AnyStartedBefore;
            for (uint index = from; index < record.Count; index++)
            {
                if (record.IsOpen(index) && (clientGone || !record.StartedBefore(index)))
                {
                    record.Cancel(index);
                    canceled++;
                    if (!whole)
                    {
                        answer.Items.Add(new UnitIndex { UnitId = record.ClientUnitId, Index = index });
                    }
                }
            }

            if (whole)
            {
                answer.UnitIds.Add(record.ClientUnitId);
            }

            ForgetIfClosedLocked(record, deliveries);
            return canceled;
        }

        // Only the worker knows which of the items it holds have started.
        var requests = new List<CancelRequest>();
        for (uint index = (uint)Math.Max(from, record.StartedIndex + 1); index < record.Count; index++)
        {
            if (record.IsOpen(index) && (clientGone || !record.StartedBefore(index)))
            {
                ulong requestId = ++_nextCancelId;
                _pendingCancels[requestId] = new PendingCancel(null, withdrawal, record, index, worker);
                withdrawal.Outstanding++;
                requests.Add(new CancelRequest { RequestId = requestId, UnitId = record.Id, Index = index });
            }
        }

        if (requests.Count > 0)
        {
            worker.Mailbox.Post(m => m.Cancels.AddRange(requests));
        }

        return canceled;
    }

    private string? Validate(ClientSession client, ForwardedUnit unit)
    {
        if (unit.Count == 0)
        {
            return $"Unit {unit.UnitId} has no items.";
        }

        if (unit.Arguments.Count == 0 && unit.Count != 1)
        {
            return $"Unit {unit.UnitId} claims {unit.Count:N0} items but carries no arguments: a call without arguments is one item.";
        }

        if (!_functions.Knows(unit.FunctionId))
        {
            return $"Unit {unit.UnitId} names function {unit.FunctionId}, which was never defined.";
        }

        if (client.Units.ContainsKey(unit.UnitId))
        {
            return $"Unit id {unit.UnitId} is already in use by this client.";
        }

        for (int i = 0; i < unit.Arguments.Count; i++)
        {
            uint count;
            long held;
            try
            {
                (count, held) = ArgumentColumns.Check(unit.Arguments[i]);
            }
            catch (UnreadableColumnException error)
            {
                return $"Argument {i} of unit {unit.UnitId} is not a readable column: {error.Message}.";
            }

            if (count != unit.Count || held != unit.Count)
            {
                return $"Argument {i} of unit {unit.UnitId} claims {count:N0} values and holds {held:N0}, for {unit.Count:N0} items.";
            }
        }

        return null;
    }

    private Task<bool> CancelLocked(ClientSession client, ulong clientUnitId, uint index, Deliveries deliveries)
    {
        Debug.Assert(Monitor.IsEntered(_sync));
        if (!client.Units.TryGetValue(clientUnitId, out var record) || !record.IsOpen(index))
        {
            return Task.FromResult(record?.IsCanceled(index) ?? false);
        }

        if (record.StartedBefore(index))
        {
            // It started on a worker that died, and runs again: its client was told it runs.
            return Task.FromResult(false);
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
        _pendingCancels[requestId] = new PendingCancel(reply, null, record, index, worker);
        worker.Mailbox.Post(m => m.Cancels.Add(new CancelRequest { RequestId = requestId, UnitId = record.Id, Index = index }));
        return reply.Task;
    }
}
