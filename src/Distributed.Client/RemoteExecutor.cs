using Distributed.Client;
using Distributed.Protocol;
using Distributed.Remoting;

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
    private readonly CoordinatorAddress _address;
    private readonly UnitExecutorCore<RemoteConnection> _core;

    /// <summary>Creates an executor for the coordinator at <paramref name="address"/>.</summary>
    /// <param name="address">The coordinator: <c>http://host:port</c>, <c>https://host:port</c> or <c>unix:/path.sock</c>.</param>
    /// <param name="options">How to reach it; default no token, 64 MiB messages, a 10 s loss bound.</param>
    /// <exception cref="ArgumentException">The address is not one of those forms.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A size or time in <paramref name="options"/> is out of range.</exception>
    public RemoteExecutor(string address, RemoteExecutorOptions? options = null)
    {
        var parsed = CoordinatorAddress.Parse(address);
        options ??= new RemoteExecutorOptions();
        if (options.MaxMessageBytes < ProtocolInfo.MinMaxMessageBytes || options.ConnectionLossTimeout <= TimeSpan.Zero || options.CancelReplyTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(
                nameof(options), "MaxMessageBytes must be at least 65536, and ConnectionLossTimeout and CancelReplyTimeout positive.");
        }

        ArgumentNullException.ThrowIfNull(options.TimeProvider, nameof(options));
        _address = parsed;
        _core = new(() => new RemoteConnection(parsed, options), "this executor's own futures", DrainAtProcessExit, StopDrainingAtProcessExit);
    }

    /// <summary>The coordinator's address, as given.</summary>
    public string Address => _address.Text;

    /// <inheritdoc/>
    protected override bool SupportsMapChunks => true;

    /// <inheritdoc/>
    protected override bool SupportsTaskOptions => true;

    /// <inheritdoc/>
    /// <exception cref="InvalidOperationException"><paramref name="wait"/> is true and this is called from a callback
    /// of one of this executor's futures, which cannot wait for itself. The shutdown has still begun.</exception>
    public override void Shutdown(bool wait = true, bool cancelFutures = false) => _core.Shutdown(wait, cancelFutures);

    /// <inheritdoc/>
    public override Task ShutdownAsync(bool cancelFutures = false) => _core.ShutdownAsync(cancelFutures);

    /// <inheritdoc/>
    public override bool IsShutdown => _core.IsShutdown;

    /// <inheritdoc/>
    public override BrokenExecutorException? BrokenError => _core.BrokenError;

    /// <inheritdoc/>
    protected override Future<TResult> SubmitCall<TResult>(ExecutorCall<TResult> executorCall) => _core.SubmitCall(executorCall);

    /// <inheritdoc/>
    protected override MapChunk<TResult> SubmitMapChunk<TResult>(IReadOnlyList<ExecutorCall<TResult>> calls) => _core.SubmitMapChunk(calls);

    /// <inheritdoc/>
    protected override void FinishWorkAtProcessExit() => _core.FinishWorkAtProcessExit();
}
