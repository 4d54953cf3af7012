using Distributed.Protocol.V1;

namespace Distributed.Protocol;

/// <summary>The outcome a task's metrics count it under, the same in the coordinator and in clients.</summary>
internal static class OutcomeNames
{
    public const string Result = "result";
    public const string Canceled = "canceled";

    /// <summary>The outcome name an error's kind counts under.</summary>
    public static string Of(ErrorKind kind) => kind switch
    {
        ErrorKind.Canceled => Canceled,
        ErrorKind.WorkerLost => "worker_lost",
        ErrorKind.Timeout => "timeout",
        ErrorKind.Rejected => "rejected",
        ErrorKind.Broken or ErrorKind.NoWorkers => "broken",
        _ => "exception",
    };
}
