using Distributed.Protocol.V1;

namespace Distributed.Coordinator.Engine;

/// <summary>
/// What one engine operation has to tell the outside world, gathered under the engine's lock and
/// handed over after it is released: client code and waiters never run under the lock.
/// </summary>
internal sealed class Deliveries
{
    private List<(ClientSession Client, UnitOutcome Outcome)>? _outcomes;
    private List<(ClientSession Client, UnitProgress Progress)>? _running;
    private List<(TaskCompletionSource<Withdrawn> Done, Withdrawn Answer)>? _withdrawals;
    private List<(ClientSession Client, ulong UnitId, ErrorInfo Error)>? _rejected;
    private List<(ClientSession Client, ErrorInfo Error)>? _broken;
    private List<(TaskCompletionSource<bool> Reply, bool Canceled)>? _cancelReplies;
    private List<TaskCompletionSource>? _idle;
    private List<Telemetry.SampleRun>? _samples;

    public void Outcome(ClientSession client, UnitOutcome outcome) => (_outcomes ??= []).Add((client, outcome));

    public void Running(ClientSession client, UnitProgress progress) => (_running ??= []).Add((client, progress));

    /// <summary>A withdrawal is complete: its answer goes to whoever waits for it.</summary>
    public void Answer(TaskCompletionSource<Withdrawn> done, Withdrawn answer) => (_withdrawals ??= []).Add((done, answer));

    public void Rejected(ClientSession client, ulong clientUnitId, ErrorInfo error) => (_rejected ??= []).Add((client, clientUnitId, error));

    public void Broken(ClientSession client, ErrorInfo error) => (_broken ??= []).Add((client, error));

    public void CancelReply(TaskCompletionSource<bool> reply, bool canceled) => (_cancelReplies ??= []).Add((reply, canceled));

    public void Complete(TaskCompletionSource idle) => (_idle ??= []).Add(idle);

    /// <summary>A run of histogram samples (or none), recorded last, once the lock is released.</summary>
    public void Samples(Telemetry.SampleRun? run)
    {
        if (run is not null)
        {
            (_samples ??= []).Add(run);
        }
    }

    public void Flush()
    {
        if (_running is not null)
        {
            foreach (var group in _running.GroupBy(r => r.Client))
            {
                group.Key.Sink.OnRunning(group.Select(r => r.Progress).ToList());
            }
        }

        _rejected?.ForEach(r => r.Client.Sink.OnRejected(r.UnitId, r.Error));
        if (_outcomes is not null)
        {
            foreach (var group in _outcomes.GroupBy(o => o.Client))
            {
                group.Key.Sink.OnOutcomes(group.Select(o => o.Outcome).ToList());
            }
        }

        _broken?.ForEach(b => b.Client.Sink.OnBroken(b.Error));
        _cancelReplies?.ForEach(c => c.Reply.TrySetResult(c.Canceled));
        _withdrawals?.ForEach(w => w.Done.TrySetResult(w.Answer));
        _idle?.ForEach(idle => idle.TrySetResult());

        // Last: a listener's callback runs in Record, and whatever it does, everything the
        // operation had to tell its clients has been told.
        _samples?.ForEach(run => run.Record());
    }
}
