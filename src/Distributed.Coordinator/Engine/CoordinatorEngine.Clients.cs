using Distributed.Coordinator.Wire;
using Distributed.Protocol.V1;

namespace Distributed.Coordinator.Engine;

/// <summary>The engine's client operations: sessions, submits, cancels, withdrawals, closing.</summary>
internal sealed partial class CoordinatorEngine
{
    /// <param name="id">For logs.</param>
    /// <param name="sink">Where the client's news goes.</param>
    /// <param name="abort">Ends a remote client's stream when it falls silent; null for the embedded pool.</param>
    public ClientSession OpenClient(string id, IClientSink sink, Action<string>? abort = null)
    {
        var client = new ClientSession(id, sink, _hearing, abort) { OpenedAt = _options.Time.GetUtcNow() };
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
    /// client (see <see cref="UnitAdmission"/>).
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

            if (UnitAdmission.Problem(client, unit, _functions) is { } problem)
            {
                Log.UnitRejected(_logger, client.Id, unit.UnitId, problem);
                deliveries.Rejected(client, unit.UnitId, EngineErrors.Rejection(problem));

                // Once, not by the count it claims: a malformed unit's count is not to be trusted.
                _metrics.Submitted(1);
                _metrics.Completed("rejected");
            }
            else if (_broken is { } broken)
            {
                deliveries.Rejected(client, unit.UnitId, broken);
                _metrics.Submitted((int)unit.Count);
                _metrics.Completed("broken", (int)unit.Count);
            }
            else
            {
                unit.MaxOutcomeBytes = (uint)OutcomeLimit(client);
                _book.AdmitLocked(client, unit);
                _dispatcher.DispatchLocked(deliveries);
            }

            AssertInvariantsLocked();
        }

        deliveries.Flush();
    }

    /// <inheritdoc cref="CancelRouter.CancelLocked"/>
    public Task<bool> CancelAsync(ClientSession client, ulong clientUnitId, uint index)
    {
        var deliveries = new Deliveries();
        Task<bool> answer;
        lock (_sync)
        {
            answer = _cancels.CancelLocked(client, clientUnitId, index, deliveries);
            AssertInvariantsLocked();
        }

        deliveries.Flush();
        return answer;
    }

    /// <inheritdoc cref="CancelRouter.WithdrawLocked"/>
    public Task<Withdrawn> Withdraw(ClientSession client, Withdrawal request)
    {
        var deliveries = new Deliveries();
        Task<Withdrawn> answer;
        lock (_sync)
        {
            answer = _cancels.WithdrawLocked(client, request, deliveries);
            AssertInvariantsLocked();
        }

        deliveries.Flush();
        return answer;
    }

    /// <inheritdoc cref="CancelRouter.CancelByTokenLocked"/>
    public void CancelByToken(ClientSession client, IEnumerable<UnitIndex> items)
    {
        var deliveries = new Deliveries();
        lock (_sync)
        {
            foreach (var item in items)
            {
                _cancels.CancelByTokenLocked(client, item.UnitId, item.Index, deliveries);
            }

            AssertInvariantsLocked();
        }

        deliveries.Flush();
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
        int canceled;
        lock (_sync)
        {
            client.Closed = true;
            canceled = _cancels.DropLocked(client, deliveries);
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
}
