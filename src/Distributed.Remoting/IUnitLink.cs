namespace Distributed.Remoting;

/// <summary>
/// What a unit's client half needs from the client that sent it (the embedded pool's, or a remote
/// executor's): to withdraw items before any worker starts them, and to be forgotten once done.
/// </summary>
public interface IUnitLink
{
    /// <summary>Asks the coordinator to withdraw one item, and waits for the answer.</summary>
    /// <returns>True if it will never run; false if it started (or finished); null if no answer came (the connection is gone, or the wait ran out).</returns>
    bool? Withdraw(ulong unitId, uint index);

    /// <summary>
    /// Asks the coordinator to withdraw every item of the unit from <paramref name="index"/> on
    /// that no worker has started. Requests made together travel together; each completes once
    /// its items are canceled here (those a worker held, once it confirmed it had not started
    /// them), or the connection is gone.
    /// </summary>
    Task WithdrawFromAsync(ulong unitId, uint index);

    /// <summary>
    /// The item's CancellationToken was canceled: the coordinator ends it canceled if no worker
    /// started it, or signals its token on the worker that runs it. Never blocks; the outcome
    /// comes back as the item's outcome.
    /// </summary>
    void CancelByToken(ulong unitId, uint index);

    /// <summary>Drops a unit with no open item left from the client's registry.</summary>
    void Forget(ulong unitId);

    /// <summary>
    /// Runs user callbacks of completed futures on the client's delivery thread, never on the thread
    /// that reads the stream the outcomes arrived on.
    /// </summary>
    void RunCallbacks(Action callbacks);
}
