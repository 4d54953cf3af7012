namespace Distributed.Futures;

/// <summary>The life-cycle states of a <see cref="Future"/>, as in Python's <c>concurrent.futures</c>.</summary>
public enum FutureState
{
    /// <summary>Submitted, not started, not canceled.</summary>
    Pending,

    /// <summary>Started by an executor; can no longer be canceled.</summary>
    Running,

    /// <summary>Canceled before it started; the executor has not yet seen the cancel.</summary>
    Canceled,

    /// <summary>Canceled, and the executor has acknowledged it through <see cref="Future.SetRunningOrNotifyCancel"/>.</summary>
    CanceledAndNotified,

    /// <summary>Completed with a result or an exception.</summary>
    Finished,
}
