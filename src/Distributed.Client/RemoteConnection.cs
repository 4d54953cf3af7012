using Distributed.Futures;
using Distributed.Protocol;
using Distributed.Protocol.Client;
using Distributed.Protocol.V1;
using Grpc.Core;
using Grpc.Net.Client;

namespace Distributed.Client;

/// <summary>
/// A remote executor's one long-lived stream to its coordinator. Submits and cancels are coalesced
/// into messages by a mailbox and written by one loop; events are read by another and applied to
/// the units in flight. When the stream fails for any reason, every unfinished future fails with a
/// <see cref="BrokenExecutorException"/> that says why, and nothing waits any more.
/// </summary>
internal sealed class RemoteConnection : IUnitSender, IAsyncDisposable
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
    private readonly Dictionary<ulong, TaskCompletionSource<bool>> _pendingCancels = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _writer;
    private readonly Task _reader;
    private ulong _nextCancelId;
    private Exception? _broken;
    private bool _closing;

    public RemoteConnection(CoordinatorAddress address, RemoteExecutorOptions options)
    {
        _address = address;
        _options = options;
        _channel = address.CreateChannel(options.MaxMessageBytes, options.ConnectionLossTimeout, options.ConfigureHttpHandler);
        _call = new ExecutorService.ExecutorServiceClient(_channel).Open(CoordinatorAddress.Credentials(options.Token));
        // The reader first: a failed write waits on it.
        _reader = Task.Run(ReadAsync);
        _writer = Task.Run(WriteAsync);
    }

    public UnitRegistry Units { get; } = new("RemoteExecutor-results");

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

    /// <summary>
    /// Registers a unit's client half and queues the unit to be sent. A unit too large for one
    /// message fails its own futures and is never sent.
    /// </summary>
    public void Send(CallUnit unit, FunctionRef function, IUnitFutures futures)
    {
        unit.UnitId = futures.UnitId;
        FunctionDefinition? definition;
        lock (_lock)
        {
            if (!_functionIds.TryGetValue(function, out uint id))
            {
                id = (uint)_functionIds.Count;
                _functionIds[function] = id;
                definition = new FunctionDefinition { FunctionId = id, Function = function };
            }
            else
            {
                definition = null;
            }

            unit.FunctionId = id;
        }

        // Room is kept for the rest of the message that carries it.
        int size = unit.CalculateSize() + (definition?.CalculateSize() ?? 0);
        if (size > _options.MaxMessageBytes - 1024)
        {
            // The function was numbered for this call: define it anyway, for the calls that follow.
            if (definition is not null)
            {
                _mailbox.Post(message => message.Functions.Add(definition));
            }

            futures.FailAll(new ArgumentException(
                $"The call to {function.TypeName}.{function.MethodName} is {size:N0} bytes encoded, more than the {_options.MaxMessageBytes:N0}-byte message limit (RemoteExecutorOptions.MaxMessageBytes)."));
            return;
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
    }

    public bool Withdraw(ulong unitId, uint index)
    {
        var reply = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        ulong requestId;
        lock (_lock)
        {
            if (_broken is not null)
            {
                return false;
            }

            requestId = ++_nextCancelId;
            _pendingCancels[requestId] = reply;
        }

        _mailbox.Post(message => message.Cancels.Add(new ClientCancel { RequestId = requestId, UnitId = unitId, Index = index }));
        return reply.Task.Wait(_options.CancelReplyTimeout) && reply.Task.Result;
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

        await _stop.CancelAsync().ConfigureAwait(false);
        await _writer.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _call.Dispose();
        _channel.Dispose();
        _stop.Dispose();
    }

    private async Task WriteAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var message = await _mailbox.TakeAsync(_stop.Token).ConfigureAwait(false);
                foreach (var part in MessageSplitter.Split(message, _options.MaxMessageBytes - 1024))
                {
                    await _call.RequestStream.WriteAsync(part, _stop.Token).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Closing.
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

    private async Task ReadAsync()
    {
        Exception? failure = null;
        try
        {
            while (await _call.ResponseStream.MoveNext(_stop.Token).ConfigureAwait(false))
            {
                Apply(_call.ResponseStream.Current);
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
            TaskCompletionSource<bool>? reply;
            lock (_lock)
            {
                _pendingCancels.Remove(result.RequestId, out reply);
            }

            reply?.TrySetResult(result.Canceled);
        }

        foreach (var rejected in message.Rejected)
        {
            Units.Find(rejected.UnitId)?.FailAll(ErrorCodec.Decode(rejected.Error));
        }

        if (message.Broken is { } broken)
        {
            Break(new BrokenExecutorException($"The coordinator at {_address} cannot run work: {broken.Message}"));
        }
    }

    private BrokenExecutorException Describe(Exception error) => error switch
    {
        RpcException { StatusCode: StatusCode.Unauthenticated or StatusCode.PermissionDenied } refused =>
            new($"The coordinator at {_address} refused this client: {refused.Status.Detail}", refused),
        RpcException lost => new($"The connection to the coordinator at {_address} was lost: {lost.Status.Detail}", lost),
        _ => new($"The connection to the coordinator at {_address} was lost: {error.Message}", error),
    };

    /// <summary>Makes the connection unusable: every open item and pending cancel gets its answer now.</summary>
    private void Break(Exception error)
    {
        List<TaskCompletionSource<bool>> cancels;
        lock (_lock)
        {
            _broken ??= error;
            cancels = [.. _pendingCancels.Values];
            _pendingCancels.Clear();
        }

        cancels.ForEach(reply => reply.TrySetResult(false));
        Units.FailAll(error);
    }
}
