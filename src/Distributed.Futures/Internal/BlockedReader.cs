using System.Diagnostics.CodeAnalysis;

namespace Distributed.Futures.Internal;

/// <summary>A thread blocked in <see cref="Future.Result(TimeSpan?)"/> or <see cref="Future.Exception(TimeSpan?)"/>, woken by the completion.</summary>
[SuppressMessage(
    "Reliability",
    "CA1001:Types that own disposable fields should be disposable",
    Justification = "ManualResetEventSlim holds no OS handle unless WaitHandle is used; disposing it while a completer may still Set it would crash the completer.")]
internal sealed class BlockedReader : FutureWaiter
{
    private readonly ManualResetEventSlim _done = new();

    public override void OnFutureDone(Future future) => _done.Set();

    /// <returns>False if the deadline passed first.</returns>
    public bool Wait(Deadline deadline)
    {
        // Task.Wait and friends take an int; loop so a deadline beyond int.MaxValue milliseconds holds.
        while (!_done.Wait(deadline.RemainingMilliseconds))
        {
            if (deadline.RemainingMilliseconds == 0)
            {
                return false;
            }
        }

        return true;
    }
}
