using Distributed.Client;
using Distributed.Futures.Internal;
using Distributed.Protocol;
using Distributed.Protocol.Client;

namespace Distributed.Futures;

/// <summary>
/// Runs calls on a cluster: a coordinator and the workers that dial it, on any machines. The full
/// <see cref="Executor"/> API over one long-lived gRPC stream, with the Future semantics of a local
/// pool: running state, results, the call's own exceptions, <c>Cancel()</c> (true only if no worker
/// started the call), callbacks, <c>AsCompleted</c>, <c>Map</c> in chunks, <c>Shutdown</c>. As with a
/// process pool, only a public static method or a lambda that captures nothing can be sent, and the
/// workers must have its assembly among their task assemblies.
/// </summary>
/// <remarks>
/// Connects on the first submit. If the coordinator goes away, every unfinished future fails with a
/// <see cref="BrokenExecutorException"/>: at once if its process dies, within
/// <see cref="RemoteExecutorOptions.ConnectionLossTimeout"/> if it falls silent; later submits throw
/// it. A new RemoteExecutor connects again.
/// </remarks>
public sealed class RemoteExecutor : Executor
{
    private readonly object _lock = new();
    private readonly CoordinatorAddress _address;
    private readonly RemoteExecutorOptions _options;
    private RemoteConnection? _connection;
    private Task? _teardown;
    private bool _shutdown;

    /// <summary>Creates an executor for the coordinator at <paramref name="address"/>.</summary>
    /// <param name="address">The coordinator: <c>http://host:port</c>, <c>https://host:port</c> or <c>unix:/path.sock</c>.</param>
    /// <param name="options">How to reach it; default no token, 64 MiB messages, a 10 s loss bound.</param>
    /// <exception cref="ArgumentException">The address is not one of those forms.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A size or time in <paramref name="options"/> is out of range.</exception>
    public RemoteExecutor(string address, RemoteExecutorOptions? options = null)
    {
        _address = CoordinatorAddress.Parse(address);
        _options = options ?? new RemoteExecutorOptions();
        if (_options.MaxMessageBytes < ProtocolInfo.MinMaxMessageBytes || _options.ConnectionLossTimeout <= TimeSpan.Zero || _options.CancelReplyTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(
                nameof(options), "MaxMessageBytes must be at least 65536, and ConnectionLossTimeout and CancelReplyTimeout positive.");
        }

        ArgumentNullException.ThrowIfNull(_options.TimeProvider, nameof(options));
    }

    /// <summary>The coordinator's address, as given.</summary>
    public string Address => _address.Text;

    /// <inheritdoc/>
    protected override bool SupportsMapChunks => true;

    /// <inheritdoc/>
    /// <exception cref="InvalidOperationException"><paramref name="wait"/> is true and this is called from a callback
    /// of one of this executor's futures, which cannot wait for itself. The shutdown has still begun.</exception>
    public override void Shutdown(bool wait = true, bool cancelFutures = false)
    {
        var (connection, teardown, withdrawal) = BeginShutdown(cancelFutures);

        // One request, one answer: every task still queued at the coordinator is canceled (its
        // future says so) before this returns, whether or not it waits; a broken connection
        // answers at once, a silent one within the connection-loss bound.
        withdrawal.Wait(_options.ConnectionLossTimeout);
        if (!wait || connection is null)
        {
            return;
        }

        if (connection.Units.IsDeliveryThread)
        {
            throw new InvalidOperationException(
                "Shutdown(wait: true) was called from a callback of this executor's own futures, which cannot wait for itself; use Shutdown(wait: false).");
        }

        teardown.GetAwaiter().GetResult();
    }

    /// <inheritdoc/>
    public override async Task ShutdownAsync(bool cancelFutures = false)
    {
        var (_, teardown, withdrawal) = BeginShutdown(cancelFutures);
        await withdrawal.WaitAsync(_options.ConnectionLossTimeout, _options.TimeProvider).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await teardown.ConfigureAwait(false);
    }

    /// <inheritdoc/>
    protected override Future<TResult> SubmitCall<TResult>(ExecutorCall<TResult> executorCall)
    {
        ArgumentNullException.ThrowIfNull(executorCall);
        return UnitSubmission.Submit(Connection, [executorCall], (link, unitId, returnType) => new UnitFutures<TResult>(link, unitId, 1, returnType)).Futures[0];
    }

    /// <inheritdoc/>
    protected override MapChunk<TResult> SubmitMapChunk<TResult>(IReadOnlyList<ExecutorCall<TResult>> calls)
    {
        ArgumentNullException.ThrowIfNull(calls);
        return UnitSubmission.Submit(Connection, calls, (link, unitId, returnType) => new RemoteMapChunk<TResult>(link, unitId, calls.Count, returnType));
    }

    internal override void FinishWorkAtProcessExit()
    {
        var (connection, teardown, _) = BeginShutdown(cancelFutures: false);
        if (connection is not null && !connection.Units.IsDeliveryThread)
        {
            teardown.GetAwaiter().GetResult();
        }
    }

    private RemoteConnection Connection()
    {
        lock (_lock)
        {
            if (_connection?.Broken is { } broken)
            {
                throw broken as BrokenExecutorException ?? new BrokenExecutorException(broken.Message, broken);
            }

            if (_shutdown)
            {
                throw new InvalidOperationException("cannot schedule new futures after shutdown");
            }

            if (_connection is null)
            {
                _connection = new RemoteConnection(_address, _options);
                ProcessExitDrain.Register(this);
            }

            return _connection;
        }
    }

    /// <returns>The connection (null before the first submit), its teardown, and the withdrawal of what is queued (done at once without cancelFutures).</returns>
    private (RemoteConnection? Connection, Task Teardown, Task Withdrawal) BeginShutdown(bool cancelFutures)
    {
        RemoteConnection? connection;
        Task teardown;
        lock (_lock)
        {
            _shutdown = true;
            connection = _connection;
            if (connection is null)
            {
                return (null, Task.CompletedTask, Task.CompletedTask);
            }

            teardown = _teardown ??= TeardownAsync(connection);
        }

        return (connection, teardown, cancelFutures ? connection.WithdrawAllAsync() : Task.CompletedTask);
    }

    private async Task TeardownAsync(RemoteConnection connection)
    {
        await Task.Yield();
        await connection.Units.WhenEmptyAsync().ConfigureAwait(false);
        await connection.Units.DrainDeliveriesAsync().ConfigureAwait(false);
        await connection.DisposeAsync().ConfigureAwait(false);
        ProcessExitDrain.Unregister(this);
    }
}
