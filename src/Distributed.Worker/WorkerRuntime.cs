using Distributed.Protocol;
using Distributed.Protocol.V1;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Distributed.Worker;

/// <summary>
/// A worker: dials the coordinator (workers connect out, so they work from behind NAT or in
/// containers), registers, runs what it is assigned on its slots, streams outcomes back and
/// heartbeats while idle. It leaves when the coordinator drains it; when the connection is lost it
/// either leaves or, with <see cref="WorkerOptions.Reconnect"/>, dials again with backoff.
/// </summary>
public sealed partial class WorkerRuntime
{
    private readonly WorkerOptions _options;
    private readonly ILogger _logger;
    private readonly FunctionResolver _resolver;
    private readonly Lock _leaveLock = new();

    // Completed by Drain: also cuts short a wait before dialing again.
    private readonly TaskCompletionSource _leaveRequested = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // The live session's outbox, where a drain request goes; null between sessions. Guarded by _leaveLock.
    private Outbox? _sessionOutbox;
    private bool _initializerRan;

    /// <exception cref="ArgumentOutOfRangeException">Fewer than one slot, or a message limit below 64 KiB.</exception>
    /// <exception cref="FunctionResolutionException">A task assembly cannot be loaded.</exception>
    public WorkerRuntime(WorkerOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Slots, 1, nameof(options.Slots));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxMessageBytes, ProtocolInfo.MinMaxMessageBytes, nameof(options.MaxMessageBytes));
        _options = options;
        _logger = logger ?? NullLogger.Instance;
        var assemblies = new TaskAssemblies(options.AcceptAssemblyPathsFromCoordinator);
        foreach (var path in options.TaskAssemblyPaths)
        {
            assemblies.Add(path);
        }

        TaskAssemblies = assemblies;
        _resolver = new FunctionResolver(assemblies);
    }

    /// <summary>How a worker's run ended; also its process exit code.</summary>
    public enum Outcome
    {
        /// <summary>The coordinator drained it.</summary>
        Drained = 0,

        /// <summary>The connection was lost (or never made) and reconnecting is off.</summary>
        ConnectionLost = 1,

        /// <summary>The coordinator refused it, for example for a wrong token.</summary>
        Refused = 2,

        /// <summary>The pool's initializer threw.</summary>
        InitializerFailed = 3,
    }

    /// <summary>The assemblies this worker may run methods of.</summary>
    public TaskAssemblies TaskAssemblies { get; }

    /// <summary>Whether <see cref="Drain"/> was called.</summary>
    internal bool DrainRequested => _leaveRequested.Task.IsCompleted;

    /// <summary>
    /// Leaves gracefully, as a host that is stopping wants (a container's SIGTERM): the coordinator
    /// is asked to drain this worker, so it is given nothing more, the calls it holds run to their
    /// end and their outcomes are sent, and <see cref="RunAsync"/> returns <see cref="Outcome.Drained"/>.
    /// What is still queued runs on other workers. Between sessions (waiting to dial again),
    /// <see cref="RunAsync"/> returns at once. Idempotent; safe from any thread.
    /// </summary>
    /// <remarks>
    /// Canceling <see cref="RunAsync"/>'s token instead ends the session at once: the coordinator
    /// then takes the worker for lost and runs what it was running again elsewhere.
    /// </remarks>
    public void Drain()
    {
        Outbox? outbox;
        lock (_leaveLock)
        {
            outbox = _sessionOutbox;
        }

        if (!_leaveRequested.Task.IsCompleted)
        {
            Log.Leaving(_logger, _options.WorkerId);
        }

        _leaveRequested.TrySetResult();
        outbox?.SetLeaving();
    }

    /// <summary>Runs until drained (by the coordinator, or asked to by <see cref="Drain"/>), refused, the initializer fails, or (without reconnecting) the connection is lost.</summary>
    public async Task<Outcome> RunAsync(CancellationToken cancellationToken = default)
    {
        var delay = _options.ReconnectInitialDelay;
        var time = _options.Time;
        long started = time.GetTimestamp();
        bool everRegistered = false;
        while (true)
        {
            if (_leaveRequested.Task.IsCompleted)
            {
                return Outcome.Drained;
            }

            var (outcome, registered, reason) = await RunSessionAsync(cancellationToken).ConfigureAwait(false);
            everRegistered |= registered;
            if (outcome == Outcome.ConnectionLost && !everRegistered && time.GetElapsedTime(started) < _options.FirstConnectPatience)
            {
                // The service is still starting: try again soon, without logging each attempt.
                await Task.Delay(TimeSpan.FromMilliseconds(20), time, cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (outcome != Outcome.ConnectionLost || !_options.Reconnect)
            {
                return outcome;
            }

            if (_leaveRequested.Task.IsCompleted)
            {
                // Asked to leave: the coordinator stopped meanwhile, or the connection broke; no dialing again.
                return Outcome.Drained;
            }

            if (registered)
            {
                delay = _options.ReconnectInitialDelay;
            }

            Log.Unreachable(_logger, _options.Coordinator.Text, reason, delay);
            await Task.WhenAny(Task.Delay(delay, time, cancellationToken), _leaveRequested.Task).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.ReconnectMaxDelay.Ticks));
        }
    }

    private async Task<(Outcome Outcome, bool Registered, string Reason)> RunSessionAsync(CancellationToken cancellationToken)
    {
        using var channel = _options.Coordinator.CreateChannel(_options.MaxMessageBytes, _options.SilenceLimit);
        var client = new WorkerHub.WorkerHubClient(channel);
        using var session = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var call = client.Connect(CoordinatorAddress.Credentials(_options.Token), cancellationToken: session.Token);
        bool registered = false;
        var sessionEnded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            await call.RequestStream.WriteAsync(NewRegistration(), session.Token).ConfigureAwait(false);
            if (!await call.ResponseStream.MoveNext(session.Token).ConfigureAwait(false) || call.ResponseStream.Current.Welcome is not { } welcome)
            {
                return (Outcome.ConnectionLost, false, "the coordinator closed the stream before welcoming this worker");
            }

            // The welcome may already carry the first work.
            var first = call.ResponseStream.Current;

            registered = true;
            Log.Registered(_logger, _options.WorkerId, _options.Coordinator.Text, _options.Slots);
            // What goes to the coordinator must fit its limit as well as this worker's own.
            int streamLimit = welcome.MaxMessageBytes >= ProtocolInfo.MinMaxMessageBytes
                ? (int)Math.Min(welcome.MaxMessageBytes, (uint)_options.MaxMessageBytes)
                : _options.MaxMessageBytes;
            var outbox = new Outbox(streamLimit, _options.Time);
            bool leaving;
            lock (_leaveLock)
            {
                _sessionOutbox = outbox;
                leaving = _leaveRequested.Task.IsCompleted;
            }

            if (leaving)
            {
                // Asked to leave while this session was dialing: said with the first message.
                outbox.SetLeaving();
            }

            var functions = new FunctionTable(_resolver);
            if (!RunInitializerOnce(welcome, functions, outbox))
            {
                await call.RequestStream.WriteAsync(outbox.Take(heartbeat: false)!, session.Token).ConfigureAwait(false);
                await CloseAsync(call, session.Token).ConfigureAwait(false);
                return (Outcome.InitializerFailed, true, "the initializer failed");
            }

            var outbound = new OutboundStream(call.RequestStream, outbox);
            SlotPool? pool = null;
            var timeouts = new ItemTimeouts(_options.TimeoutGrace, _options.Time, _options.WorkerId, (unit, index, error) => Recycle(unit, index, error, outbox, outbound, sessionEnded.Task));
            var runner = new UnitRunner(
                functions,
                outbox,
                _options.WorkerId,
                streamLimit,
                (unit, index) =>
                {
                    outbound.SendNow();
                    return unit.WaitForStart(index, pool!.StartsEnded);
                },
                timeouts);
            var slots = pool = new SlotPool(_options.Slots, runner, outbox, outbound.TrySendNow, outbound.SendNow, _options.WorkerId);
            slots.Start();
            var stopSending = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var heartbeat = TimeSpan.FromMilliseconds(Math.Max(welcome.HeartbeatIntervalMs, 50));
            var sender = outbound.RunAsync(heartbeat, stopSending.Task, session.Token);

            var drain = Apply(first, functions, slots, outbox)
                ?? await ReceiveAsync(call.ResponseStream, functions, slots, outbox, session.Token).ConfigureAwait(false);
            if (drain is null)
            {
                slots.Abandon();
                const string Closed = "the coordinator closed the connection";
                Log.ConnectionLost(_logger, _options.Coordinator.Text, Closed);
                return (Outcome.ConnectionLost, true, Closed);
            }

            // Drained: finish every assigned unit, send the last outcomes, then say goodbye.
            slots.Close();
            await slots.Drained.ConfigureAwait(false);
            stopSending.TrySetResult();
            outbox.Poke();
            await sender.ConfigureAwait(false);
            await CloseAsync(call, session.Token).ConfigureAwait(false);
            if (drain.CoordinatorStopping && _options.Reconnect)
            {
                // A restart or an upgrade of the coordinator: be there when it is back.
                Log.CoordinatorStopping(_logger, _options.Coordinator.Text, _options.WorkerId);
                return (Outcome.ConnectionLost, true, "the coordinator stopped");
            }

            Log.Drained(_logger, _options.WorkerId);
            return (Outcome.Drained, true, "drained");
        }
        catch (RpcException error) when (IsRefusal(error.StatusCode))
        {
            Log.Refused(_logger, _options.Coordinator.Text, _options.WorkerId, error.Status.Detail);
            return (Outcome.Refused, registered, error.Status.Detail);
        }
        catch (RpcException error) when (!cancellationToken.IsCancellationRequested)
        {
            // A coordinator that refuses this worker ends the call at once, and the refusal can
            // surface first as a failed write of the registration: the call's own status tells.
            if (!registered && await RefusalAsync(call).ConfigureAwait(false) is { } refusal)
            {
                Log.Refused(_logger, _options.Coordinator.Text, _options.WorkerId, refusal.Detail);
                return (Outcome.Refused, false, refusal.Detail);
            }

            string reason = Explain(error);
            if (registered)
            {
                Log.ConnectionLost(_logger, _options.Coordinator.Text, reason);
            }

            return (Outcome.ConnectionLost, registered, reason);
        }
        finally
        {
            lock (_leaveLock)
            {
                _sessionOutbox = null;
            }

            sessionEnded.TrySetResult();
            await session.CancelAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Ends this process to stop an item that ran past its timeout and grace: nothing else can stop
    /// a thread that ignores its token. The coordinator hears it first (it fails that item and
    /// sends the rest elsewhere, then ends the stream), then <see cref="WorkerOptions.EndProcess"/> runs.
    /// </summary>
    private void Recycle(WorkUnit unit, int index, ErrorInfo error, Outbox outbox, OutboundStream outbound, Task sessionEnded)
    {
        string reason = $"{error.Message} (still running {_options.TimeoutGrace.TotalSeconds:0.###} s after its deadline)";
        Log.Recycling(_logger, _options.WorkerId, unit.Id, index, reason);
        _ = Task.Run(async () =>
        {
            outbox.SetRecycling(new Recycling { UnitId = unit.Id, Index = (uint)index, Error = error });
            var sent = Task.Run(outbound.SendNow);

            // Bounded: a stream that is stuck must not keep the task running for good.
            var patience = TimeSpan.FromSeconds(2);
            await Task.WhenAny(sent, Task.Delay(patience, _options.Time)).ConfigureAwait(false);
            await Task.WhenAny(sessionEnded, Task.Delay(patience, _options.Time)).ConfigureAwait(false);
            _options.EndProcess(reason);
        });
    }
}
