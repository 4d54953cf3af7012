namespace Distributed.Protocol.Client;

/// <summary>
/// What a unit's client half needs from the client that sent it (the embedded pool's, or a remote
/// executor's): to withdraw an item before any worker starts it, and to be forgotten once done.
/// </summary>
public interface IUnitLink
{
    /// <summary>Asks the coordinator to withdraw one item; true if it will never run.</summary>
    bool Withdraw(ulong unitId, uint index);

    /// <summary>Drops a unit with no open item left from the client's registry.</summary>
    void Forget(ulong unitId);

    /// <summary>
    /// Runs user callbacks of completed futures on the client's delivery thread, never on the thread
    /// that reads the stream the outcomes arrived on.
    /// </summary>
    void RunCallbacks(Action callbacks);
}
