namespace Distributed.Coordinator.Engine;

/// <summary>
/// The worker processes a host starts itself: it can say how one of them ended, so that the
/// attempts listed for a task that killed its workers name the exit code or signal.
/// </summary>
internal interface IWorkerExits
{
    /// <summary>
    /// Completes with how the worker's process ended ("exit code 137 (signal 9, SIGKILL)"), or
    /// returns null if the worker is not a process of this host.
    /// </summary>
    Task<string>? WhenExited(string workerId);
}
