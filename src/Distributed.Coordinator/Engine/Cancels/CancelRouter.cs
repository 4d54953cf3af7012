using System.Diagnostics;
using Distributed.Protocol.V1;

namespace Distributed.Coordinator.Engine;

/// <summary>
/// Routes cancels: an item still queued is canceled at once; one a worker holds takes a round
/// trip, because only the worker knows whether it started. A single <c>Cancel()</c> hears through
/// its reply; a withdrawal (many items in one request) is answered once every worker asked has
/// answered, or is gone.
/// </summary>
/// <remarks>Every member runs under the engine's lock.</remarks>
internal sealed class CancelRouter(object engineLock, UnitBook book)
{
    private readonly Dictionary<ulong, PendingCancel> _pending = [];
    private ulong _nextRequestId;

    /// <summary>Cancels one item if no worker has started it.</summary>
    /// <returns>True if the item will never run (now or before); false if it started or finished.</returns>
    public Task<bool> CancelLocked(ClientSession client, ulong clientUnitId, uint index, Deliveries deliveries)
    {
        AssertLocked();
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
            book.Metrics.Completed("canceled");
            book.ForgetIfClosedLocked(record, deliveries);
            return Task.FromResult(true);
        }

        if (record.StartedIndex >= (int)index)
        {
            return Task.FromResult(false);
        }

        ulong requestId = ++_nextRequestId;
        var reply = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[requestId] = new PendingCancel(reply, null, record, index, worker);
        worker.Mailbox.Post(m => m.Cancels.Add(new CancelRequest { RequestId = requestId, UnitId = record.Id, Index = index }));
        return reply.Task;
    }

    /// <summary>
    /// The item's CancellationToken was canceled in its client. Queued, it ends canceled now and
    /// never runs; held by a worker, the worker is told: it signals the token of the item running,
    /// and ends one not yet started canceled without running it. The unit remembers, so an item
    /// that goes back to the queue (its worker died first) ends canceled there.
    /// </summary>
    public void CancelByTokenLocked(ClientSession client, ulong clientUnitId, uint index, Deliveries deliveries)
    {
        AssertLocked();
        if (!client.Units.TryGetValue(clientUnitId, out var record) || !record.IsOpen(index))
        {
            return;
        }

        if (record.Worker is { } worker)
        {
            record.MarkTokenCanceled(index);
            worker.Mailbox.Post(m => m.TokenCancels.Add(new UnitIndex { UnitId = record.Id, Index = index }));
        }
        else
        {
            book.FailOpenItemsLocked(record, EngineErrors.CanceledByToken(ran: record.StartedBefore(index)), deliveries, only: index);
        }
    }

    /// <summary>
    /// Cancels, in one step, every item of the request that no worker has started: those still
    /// queued at once, and those a worker holds once the worker confirms they had not started
    /// (each worker is asked in the one message it gets next).
    /// </summary>
    /// <returns>Completes, once every worker asked has answered (or is gone), with every item canceled.</returns>
    public Task<Withdrawn> WithdrawLocked(ClientSession client, Withdrawal request, Deliveries deliveries)
    {
        AssertLocked();
        var withdrawal = new WithdrawalInProgress(request.RequestId);
        foreach (var (record, from) in Targets(client, request))
        {
            Withdraw(record, from, withdrawal, deliveries, clientGone: false);
        }

        if (withdrawal.Outstanding == 0)
        {
            deliveries.Answer(withdrawal.Done, withdrawal.Answer);
        }

        return withdrawal.Done.Task;
    }

    /// <summary>
    /// The client went away: everything of it not started is canceled (a worker holding some of it
    /// is told in one message), even items it was told were running, as no one waits for them.
    /// </summary>
    /// <returns>How many items were canceled at once.</returns>
    public int DropLocked(ClientSession client, Deliveries deliveries)
    {
        AssertLocked();
        var nobodyWaits = new WithdrawalInProgress(0);
        int canceled = 0;
        foreach (var record in client.Units.Values.ToList())
        {
            canceled += Withdraw(record, 0, nobodyWaits, deliveries, clientGone: true);
        }

        return canceled;
    }

    /// <summary>A worker answered the cancel it was asked.</summary>
    public void AnswerLocked(ulong requestId, bool canceled, Deliveries deliveries)
    {
        AssertLocked();
        if (_pending.Remove(requestId, out var pending))
        {
            Answer(pending, canceled, deliveries);
        }
    }

    /// <summary>The worker is gone: the cancels waiting on it are answered now, as their items went back to the queue (or died with it).</summary>
    public void AnswerForLocked(WorkerSession worker, Deliveries deliveries)
    {
        AssertLocked();
        foreach (var (id, pending) in _pending.Where(p => p.Value.Worker == worker).ToList())
        {
            _pending.Remove(id);
            Answer(pending, pending.Record.IsOpen(pending.Index), deliveries);
        }
    }

    private static List<(UnitRecord Record, uint From)> Targets(ClientSession client, Withdrawal request)
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
    private int Withdraw(UnitRecord record, uint from, WithdrawalInProgress withdrawal, Deliveries deliveries, bool clientGone)
    {
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
                    book.Metrics.Completed("canceled");
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

            book.ForgetIfClosedLocked(record, deliveries);
            return canceled;
        }

        // Only the worker knows which of the items it holds have started.
        var requests = new List<CancelRequest>();
        for (uint index = (uint)Math.Max(from, record.StartedIndex + 1); index < record.Count; index++)
        {
            if (record.IsOpen(index) && (clientGone || !record.StartedBefore(index)))
            {
                ulong requestId = ++_nextRequestId;
                _pending[requestId] = new PendingCancel(null, withdrawal, record, index, worker);
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

    /// <summary>
    /// Settles a cancel that waited on a worker: the item is canceled if it never started. A
    /// single Cancel() hears through its reply; a withdrawal lists the item, and is answered once
    /// its last worker has answered.
    /// </summary>
    private void Answer(PendingCancel pending, bool canceled, Deliveries deliveries)
    {
        var record = pending.Record;
        if (canceled && record.IsOpen(pending.Index))
        {
            record.Cancel(pending.Index);
            book.Metrics.Completed("canceled");
            pending.Withdrawal?.Answer.Items.Add(new UnitIndex { UnitId = record.ClientUnitId, Index = pending.Index });
            book.ForgetIfClosedLocked(record, deliveries);
        }

        if (pending.Reply is { } reply)
        {
            deliveries.CancelReply(reply, record.IsCanceled(pending.Index));
        }

        if (pending.Withdrawal is { } withdrawal && --withdrawal.Outstanding == 0)
        {
            deliveries.Answer(withdrawal.Done, withdrawal.Answer);
        }
    }

    [Conditional("DEBUG")]
    private void AssertLocked() => Debug.Assert(Monitor.IsEntered(engineLock));

    /// <summary>A cancel waiting on a worker's answer: for a single Cancel() (its reply), or for a withdrawal.</summary>
    private sealed record PendingCancel(TaskCompletionSource<bool>? Reply, WithdrawalInProgress? Withdrawal, UnitRecord Record, uint Index, WorkerSession Worker);

    /// <summary>A withdrawal: what it has canceled so far, and how many workers' answers it still waits for.</summary>
    private sealed class WithdrawalInProgress(ulong requestId)
    {
        public Withdrawn Answer { get; } = new() { RequestId = requestId };

        public int Outstanding { get; set; }

        public TaskCompletionSource<Withdrawn> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
