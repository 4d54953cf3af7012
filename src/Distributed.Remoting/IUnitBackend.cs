namespace Distributed.Remoting;

/// <summary>
/// Where an executor's units go, started on its first submit: the engine hosted in this process
/// (a process pool), or a gRPC stream to a coordinator (a cluster). Everything else about
/// submitting, shutting down and tearing down is the same for both (see <see cref="UnitExecutorCore{TBackend}"/>).
/// </summary>
internal interface IUnitBackend
{
    /// <summary>Sends the units and holds their futures.</summary>
    IUnitSender Sender { get; }

    /// <summary>The exception a submit gets once the backend is broken (each executor has its own type); null while it serves.</summary>
    Exception? BrokenError { get; }

    /// <summary>How long a shutdown that cancels futures waits for the coordinator's answer before it returns anyway.</summary>
    TimeSpan WithdrawalLimit { get; }

    /// <summary>The clock that limit is measured on.</summary>
    TimeProvider Time { get; }

    /// <summary>Tells the coordinator that no more units come (called once, when the shutdown begins).</summary>
    void StopTakingSubmits();

    /// <summary>Waits for every unit in flight to be settled and its callbacks run, then lets go of everything.</summary>
    Task TeardownAsync();
}
