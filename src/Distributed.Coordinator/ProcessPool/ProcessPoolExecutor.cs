using Distributed.Coordinator.ProcessPool;
using Distributed.Protocol;
using Distributed.Protocol.V1;
using Distributed.Remoting;
using Microsoft.Extensions.Logging.Abstractions;

namespace Distributed.Futures;

/// <summary>
/// Runs calls in a pool of worker processes (Python's <c>ProcessPoolExecutor</c>): the coordinator
/// engine hosted in this process, with local workers it starts and supervises. Needs no server set
/// up by hand. Only functions another process can find by name can be sent: a public static method,
/// or a lambda that captures nothing.
/// </summary>
/// <remarks>
/// Unlike Python, a worker that dies does not break the pool: a replacement starts, and the task it
/// was running runs again elsewhere, up to <see cref="ProcessPoolOptions.MaxRetries"/> more times,
/// after which that future alone fails with <see cref="WorkerLostException"/>. The pool is broken
/// only when workers cannot be started at all. Workers start on the first submit.
/// </remarks>
public sealed class ProcessPoolExecutor : Executor
{
    private readonly UnitExecutorCore<PoolRuntime> _core;

    /// <summary>Creates a process pool.</summary>
    /// <param name="maxWorkers">How many worker processes; default <see cref="Environment.ProcessorCount"/>.</param>
    /// <param name="initializer">Runs once in each worker before its first call; if it throws, the pool is broken.</param>
    /// <param name="maxTasksPerChild">Tasks a worker runs before it is replaced; default no limit.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxWorkers"/> or <paramref name="maxTasksPerChild"/> is zero or negative.</exception>
    /// <exception cref="ArgumentException"><paramref name="initializer"/> cannot be sent to another process.</exception>
    public ProcessPoolExecutor(int? maxWorkers = null, Action? initializer = null, int? maxTasksPerChild = null)
        : this(Checked(maxWorkers, initializer, maxTasksPerChild))
    {
    }

    /// <summary>Creates a process pool with every setting given.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A count or time in <paramref name="options"/> is out of range.</exception>
    /// <exception cref="ArgumentException">The initializer cannot be sent to another process.</exception>
    public ProcessPoolExecutor(ProcessPoolOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.MaxWorkers is <= 0 || options.MaxTasksPerChild is <= 0 || options.MaxRetries < 0
            || options.HeartbeatInterval <= TimeSpan.Zero || options.HeartbeatTimeout <= options.HeartbeatInterval
            || (options.NoWorkerTimeout <= TimeSpan.Zero && options.NoWorkerTimeout != Timeout.InfiniteTimeSpan)
            || options.MaxMessageBytes < ProtocolInfo.MinMaxMessageBytes)
        {
            throw new ArgumentOutOfRangeException(
                nameof(options),
                "MaxWorkers and MaxTasksPerChild must be greater than 0, MaxRetries not negative, HeartbeatInterval positive and HeartbeatTimeout longer than it, " +
                "NoWorkerTimeout positive (or infinite), and MaxMessageBytes at least 65536.");
        }

        ArgumentNullException.ThrowIfNull(options.TimeProvider, nameof(options.TimeProvider));

        var initializer = options.Initializer is null ? null : FunctionIdentity.Describe(options.Initializer);
        MaxWorkers = options.MaxWorkers ?? Environment.ProcessorCount;
        _core = new(
            () => PoolRuntime.Start(options, MaxWorkers, initializer, options.LoggerFactory ?? NullLoggerFactory.Instance),
            "this pool's own futures",
            DrainAtProcessExit,
            StopDrainingAtProcessExit);
    }

    /// <summary>How many worker processes run calls at once.</summary>
    public int MaxWorkers { get; }

    /// <summary>The ids of the worker processes running now; empty before the first submit.</summary>
    public IReadOnlyList<int> WorkerProcessIds => _core.Backend?.WorkerProcessIds ?? [];

    /// <inheritdoc/>
    protected override bool SupportsMapChunks => true;

    /// <inheritdoc/>
    protected override bool SupportsTaskOptions => true;

    /// <inheritdoc/>
    /// <exception cref="InvalidOperationException"><paramref name="wait"/> is true and this is called from a
    /// callback of one of this pool's futures, which cannot wait for itself. The shutdown has still begun.</exception>
    public override void Shutdown(bool wait = true, bool cancelFutures = false) => _core.Shutdown(wait, cancelFutures);

    /// <inheritdoc/>
    public override Task ShutdownAsync(bool cancelFutures = false) => _core.ShutdownAsync(cancelFutures);

    /// <inheritdoc/>
    public override bool IsShutdown => _core.IsShutdown;

    /// <inheritdoc/>
    public override BrokenExecutorException? BrokenError => _core.BrokenError;

    /// <summary>
    /// Shuts down at once, cancels every future not started, and asks every worker process to
    /// terminate; futures still running end with <see cref="BrokenProcessPoolException"/>. A no-op
    /// before any worker started, or on a broken pool.
    /// </summary>
    public void TerminateWorkers() => StopWorkers(kill: false);

    /// <summary>As <see cref="TerminateWorkers"/>, but kills the worker processes outright.</summary>
    public void KillWorkers() => StopWorkers(kill: true);

    /// <inheritdoc/>
    protected override Future<TResult> SubmitCall<TResult>(ExecutorCall<TResult> executorCall) => _core.SubmitCall(executorCall);

    /// <inheritdoc/>
    protected override MapChunk<TResult> SubmitMapChunk<TResult>(IReadOnlyList<ExecutorCall<TResult>> calls) => _core.SubmitMapChunk(calls);

    /// <inheritdoc/>
    protected override void FinishWorkAtProcessExit() => _core.FinishWorkAtProcessExit();

    /// <summary>The runtime, for tests that look inside; null before the first submit.</summary>
    internal PoolRuntime? Runtime => _core.Backend;

    private static ProcessPoolOptions Checked(int? maxWorkers, Action? initializer, int? maxTasksPerChild)
    {
        if (maxWorkers is <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(maxWorkers), maxWorkers, "maxWorkers must be greater than 0.");
        }

        if (maxTasksPerChild is <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(maxTasksPerChild), maxTasksPerChild, "maxTasksPerChild must be greater than 0.");
        }

        return new ProcessPoolOptions { MaxWorkers = maxWorkers, Initializer = initializer, MaxTasksPerChild = maxTasksPerChild };
    }

    private void StopWorkers(bool kill)
    {
        var runtime = Runtime;
        if (runtime is null || runtime.Engine.BrokenReason is not null)
        {
            return;
        }

        Shutdown(wait: false, cancelFutures: true);
        runtime.Engine.DisableRetries();
        if (kill)
        {
            runtime.Supervisor.Kill();
        }
        else
        {
            runtime.Supervisor.Terminate();
        }
    }
}
