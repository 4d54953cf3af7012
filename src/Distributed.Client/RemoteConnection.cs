using Distributed.Futures;
using Distributed.Protocol;
using Distributed.Protocol.V1;
using Distributed.Remoting;
using Grpc.Core;
using Grpc.Net.Client;

namespace Distributed.Client;

/// <summary>
/// A remote executor's one long-lived stream to its coordinator. It opens with a hello each way
/// (message limits, how often each side speaks), then submits and cancels are coalesced into
/// messages by a mailbox and written by one loop; events are read by another and applied to the
/// units in flight. When the stream fails for any reason, or the coordinator falls silent for the
/// connection-loss timeout, every unfinished future fails with a <see cref="BrokenExecutorException"/>
/// that says why, and nothing waits any more.
/// </summary>
internal sealed class RemoteConnection : IUnitSender, IUnitBackend, IAsyncDisposable
{
    // How long a failed write waits for the reader to learn why the call ended.
    private static readonly TimeSpan s_writeFailureGrace = TimeSpan.FromSeconds(1);

    private readonly object _lock = new();
    private readonly CoordinatorAddress _address;
    private readonly RemoteExecutorOptions _options;
    private readonly GrpcChannel _channel;
    private readonly AsyncDuplexStreamingCall<ClientMessage, ClientEvent> _call;
    private readonly Mailbox<ClientMessage> _mailbox = new();
    private readonly Dictionary<FunctionRef, uint> _functionIds = [];
    private readonly Dictionary<ulong, TaskCompletionSource<bool?>> _pendingCancels = [];
    private readonly Dictionary<ulong, TaskCompletionSource> _pendingWithdrawals = [];
    private readonly TaskCompletionSource<OpenReply> _opened = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private readonly SilenceWatch _silence;
    private readonly Task _writer;
    private readonly Task _reader;
    private ulong _nextRequestId;
    private Exception? _broken;
    private bool _closing;

    public RemoteConnection(CoordinatorAddress address, RemoteExecutorOptions options)
    {
        _address = address;
        _options = options;
        _channel = address.CreateChannel(options.MaxMessageBytes, options.ConnectionLossTimeout, options.ConfigureHttpHandler);
        _call = new ExecutorService.ExecutorServiceClient(_channel).Open(CoordinatorAddress.Credentials(options.Token));
        _silence = new SilenceWatch(options.ConnectionLossTimeout, options.TimeProvider, OnSilence);

        // The reader first: a failed write waits on it.
        _reader = Task.Run(ReadAsync);
        _writer = Task.Run(WriteAsync);
    }

    public UnitRegistry Units { get; } = new("RemoteExecutor-results", ClientMetrics.Remote);

    /// <summary>Why the connection can no longer be used, or null while it can.</summary>
    public Exception? Broken
    {
        get
        {
            lock (_lock)
            {
                return _broken;
            }
        }
    }

    IUnitSender IUnitBackend.Sender => this;

    /// <inheritdoc/>
    public Exception? BrokenError => Broken is { } broken ? broken as BrokenExecutorException ?? new BrokenExecutorException(broken.Message, broken) : null;

    /// <summary>A coordinator that does not answer is given up on within the connection-loss bound, which answers the withdrawal.</summary>
    public TimeSpan WithdrawalLimit => _options.ConnectionLossTimeout;

    /// <inheritdoc/>
    public TimeProvider Time => _options.TimeProvider;

    /// <summary>Tells the coordinator that this client sends no more units (it counts the client out of its status); what is queued still runs.</summary>
    public void StopTakingSubmits() => _mailbox.Post(message => message.Close = true);

    /// <inheritdoc/>
    public async Task TeardownAsync()
    {
        await Units.WhenEmptyAsync().ConfigureAwait(false);
        await Units.DrainDeliveriesAsync().ConfigureAwait(false);
        await DisposeAsync().ConfigureAwait(false);
    }

    public (int Bytes, string Setting) CallLimit
    {
        get
        {
            int own = _options.MaxMessageBytes - ProtocolInfo.MessageOverheadBytes;
            if (_opened.Task.IsCompletedSuccessfully && CoordinatorLimit(_opened.Task.Result) is int coordinator && coordinator < own)
            {
                return (coordinator, $"the coordinator's --max-message-bytes at {_address}");
            }

            return (own, "RemoteExecutorOptions.MaxMessageBytes");
        }
    }

    /// <summary>Registers a unit's client half and queues the unit to be sent.</summary>
    public void Send(CallUnit unit, FunctionRef function, IUnitFutures futures)
    {
        unit.UnitId = futures.UnitId;
        FunctionDefinition? definition = null;
        lock (_lock)
        {
            if (!_functionIds.TryGetValue(function, out uint id))
            {
                id = (uint)_functionIds.Count;
                _functionIds[function] = id;
                definition = new FunctionDefinition { FunctionId = id, Function = function };
            }

            unit.FunctionId = id;
        }

        Units.Add(futures);
        _mailbox.Post(message =>
        {
            if (definition is not null)
            {
                message.Functions.Add(definition);
            }

            message.Units.Add(unit);
        });

        // Broken between the executor's check and here: the break failed what it found, so this one fails itself.
        if (Broken is { } broken)
        {
            futures.FailAll(broken);
        }
    }

    public bool? Withdraw(ulong unitId, uint index)
    {
        var reply = new TaskCompletionSource<bool?>(TaskCreationOptions.RunContinuationsAsynchronously);
        ulong requestId;
        lock (_lock)
        {
            if (_broken is not null)
            {
                return null;
            }

            requestId = ++_nextRequestId;
            _pendingCancels[requestId] = reply;
        }

        _mailbox.Post(message => message.Cancels.Add(new ClientCancel { RequestId = requestId, UnitId = unitId, Index = index }));
        return reply.Task.Wait(_options.CancelReplyTimeout) ? reply.Task.Result : null;
    }

    /// <inheritdoc/>
    public void CancelByToken(ulong unitId, uint index) =>
        _mailbox.Post(message => message.TokenCancels.Add(new UnitIndex { UnitId = unitId, Index = index }));

    public Task WithdrawFromAsync(ulong unitId, uint index) =>
        WithdrawAsync(new Withdrawal { From = { new UnitIndex { UnitId = unitId, Index = index } } });

    public Task WithdrawAllAsync() => WithdrawAsync(new Withdrawal { All = true });

    /// <summary>Sends a withdrawal with the next message; completes with its answer, or when the connection breaks.</summary>
    private Task WithdrawAsync(Withdrawal withdrawal)
    {
        var answer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            if (_broken is not null)
            {
                return Task.CompletedTask;
            }

            withdrawal.RequestId = ++_nextRequestId;
            _pendingWithdrawals[withdrawal.RequestId] = answer;
        }

        // Units still waiting in the mailbox have reached no one: withdrawing everything takes
        // them out here, and they are canceled at once, without the coordinator (which would
        // otherwise first have to take in all of them, only to cancel them).
        var unsent = new Withdrawn();
        _mailbox.Post(message =>
        {
            if (withdrawal.All)
            {
                unsent.UnitIds.AddRange(message.Units.Select(unit => unit.UnitId));
                message.Units.Clear();
            }

            message.Withdrawals.Add(withdrawal);
        });
        Units.ApplyWithdrawn(unsent);
        return answer.Task;
    }

    public void Forget(ulong unitId) => Units.Forget(unitId);

    public void RunCallbacks(Action callbacks) => Units.RunCallbacks(callbacks);

    /// <summary>Ends the stream politely: the coordinator sees a client that left, not one that vanished.</summary>
    public async ValueTask DisposeAsync()
    {
        lock (_lock)
        {
            _closing = true;
        }

        try
        {
            await _call.RequestStream.CompleteAsync().ConfigureAwait(false);
            await _reader.WaitAsync(_options.ConnectionLossTimeout).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        catch (Exception error) when (error is RpcException or InvalidOperationException or IOException)
        {
            // Already broken: nothing to say goodbye to.
        }

        _silence.Dispose();
        await _stop.CancelAsync().ConfigureAwait(false);
        await _writer.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _call.Dispose();
        _channel.Dispose();
        _stop.Dispose();
    }

    private static int? CoordinatorLimit(OpenReply opened) =>
        opened.MaxMessageBytes >= ProtocolInfo.MinMaxMessageBytes ? (int)Math.Min(opened.MaxMessageBytes, int.MaxValue) - ProtocolInfo.MessageOverheadBytes : null;

    private async Task WriteAsync()
    {
        try
        {
            var hello = new ClientHello
            {
                MaxMessageBytes = (uint)_options.MaxMessageBytes,
                HeartbeatIntervalMs = (uint)Math.Max(10, _silence.HeartbeatInterval.TotalMilliseconds),
            };
            await _call.RequestStream.WriteAsync(new ClientMessage { Hello = hello }, _stop.Token).ConfigureAwait(false);

            // Nothing else goes out before the coordinator's answer: it says how large a message may be.
            var opened = await _opened.Task.WaitAsync(_options.ConnectionLossTimeout, _options.TimeProvider, _stop.Token).ConfigureAwait(false);
            int limit = Math.Min(_options.MaxMessageBytes, (CoordinatorLimit(opened) ?? int.MaxValue) + ProtocolInfo.MessageOverheadBytes);
            var heartbeat = opened.HeartbeatIntervalMs > 0 ? TimeSpan.FromMilliseconds(opened.HeartbeatIntervalMs) : Timeout.InfiniteTimeSpan;
            await MailboxWriter.RunAsync(
                _mailbox,
                (message, token) => _call.RequestStream.WriteAsync(message, token),
                message => MessageParts.Split(DropOversized(message, limit), limit),
                () => heartbeat,
                () => new ClientMessage { Heartbeat = true },
                _stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Closing.
        }
        catch (TimeoutException)
        {
            Break(new BrokenExecutorException(
                $"The coordinator at {_address} did not answer within {_options.ConnectionLossTimeout.TotalSeconds:F1} s (RemoteExecutorOptions.ConnectionLossTimeout)."));
        }
        catch (Exception error) when (error is RpcException or InvalidOperationException or IOException)
        {
            // A write fails the moment the call ends, but only the reader gets the call's status:
            // a refused token, say, rather than "the call is complete". Let it speak first (the
            // first error given is the one every future gets), briefly, since the stream is over.
            await _reader.WaitAsync(s_writeFailureGrace).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            Break(Describe(error));
        }
    }

    /// <summary>
    /// Takes out the units too large for the coordinator (queued before its limit was known, when
    /// it is below this client's own): each fails its own futures, and the rest go out.
    /// </summary>
    private ClientMessage DropOversized(ClientMessage message, int limit)
    {
        if (limit >= _options.MaxMessageBytes)
        {
            return message;
        }

        foreach (var (unit, size) in message.Units.Select(u => (u, u.CalculateSize())).Where(u => u.Item2 > limit - ProtocolInfo.MessageOverheadBytes).ToList())
        {
            message.Units.Remove(unit);
            Units.Find(unit.UnitId)?.FailAll(new ArgumentException(
                $"The call is {size:N0} bytes encoded, more than the coordinator at {_address} takes ({limit:N0} bytes, its --max-message-bytes)."));
        }

        return message;
    }

    private async Task ReadAsync()
    {
        Exception? failure = null;
        try
        {
            while (await _call.ResponseStream.MoveNext(_stop.Token).ConfigureAwait(false))
            {
                _silence.Heard();
                var message = _call.ResponseStream.Current;
                Units.Metrics.ReceivedBytes(message);
                Apply(message);
            }
        }
        catch (Exception error) when (error is RpcException or OperationCanceledException or IOException or InvalidOperationException)
        {
            failure = error;
        }

        bool closing;
        lock (_lock)
        {
            closing = _closing;
        }

        if (!closing || Units.Count > 0)
        {
            Break(failure is null
                ? new BrokenExecutorException($"The coordinator at {_address} closed the connection.")
                : Describe(failure));
        }
    }

    private void Apply(ClientEvent message)
    {
        if (message.Opened is { } opened)
        {
            _opened.TrySetResult(opened);
        }

        foreach (var withdrawn in message.Withdrawn)
        {
            Units.ApplyWithdrawn(withdrawn);
            TaskCompletionSource? answer = null;
            lock (_lock)
            {
                if (withdrawn.RequestId != 0)
                {
                    _pendingWithdrawals.Remove(withdrawn.RequestId, out answer);
                }
            }

            answer?.TrySetResult();
        }

        if (message.Outcomes.Count > 0)
        {
            Units.Deliver(message.Outcomes);
        }

        if (message.Running.Count > 0)
        {
            Units.MarkRunning(message.Running);
        }

        foreach (var result in message.CancelResults)
        {
            TaskCompletionSource<bool?>? reply;
            lock (_lock)
            {
                _pendingCancels.Remove(result.RequestId, out reply);
            }

            reply?.TrySetResult(result.Canceled);
        }

        foreach (var rejected in message.Rejected)
        {
            Units.Reject(rejected.UnitId, rejected.Error);
        }

        if (message.Broken is { } broken)
        {
            Break(new BrokenExecutorException($"The coordinator at {_address} cannot run work: {broken.Message}"));
        }
    }

    private void OnSilence(TimeSpan silence)
    {
        Break(new BrokenExecutorException(
            $"The coordinator at {_address} sent nothing for {silence.TotalSeconds:F1} s (RemoteExecutorOptions.ConnectionLossTimeout is " +
            $"{_options.ConnectionLossTimeout.TotalSeconds:F1} s): it is taken for lost."));
        StreamTokens.CancelQuietly(_stop);
    }

    private BrokenExecutorException Describe(Exception error) => ConnectionFailures.Describe(error, _address, _options.ConnectionLossTimeout);

    /// <summary>Makes the connection unusable: every open item and pending request gets its answer now.</summary>
    private void Break(Exception error)
    {
        List<TaskCompletionSource<bool?>> cancels;
        List<TaskCompletionSource> withdrawals;
        Exception first;
        lock (_lock)
        {
            first = _broken ??= error;
            cancels = [.. _pendingCancels.Values];
            withdrawals = [.. _pendingWithdrawals.Values];
            _pendingCancels.Clear();
            _pendingWithdrawals.Clear();
        }

        cancels.ForEach(reply => reply.TrySetResult(null));
        Units.FailAll(first);
        withdrawals.ForEach(answer => answer.TrySetResult());
    }
}
