using Distributed.Futures;
using Distributed.TestPrograms;

// Each mode is one scenario; the test that runs it reads what it prints.
return args.FirstOrDefault() switch
{
    "exit-with-queued-work" => Scenarios.ExitWithQueuedWork(),
    "exit-with-awaiting-work" => Scenarios.ExitWithAwaitingWork(),
    "process-pool-prints" => Scenarios.ProcessPoolPrints(),
    "process-pool-then-wait" => Scenarios.ProcessPoolThenWait(),
    "cluster-check" => ClusterCheck.Run(args),
    "hosted-worker" => HostedWorker.Run(args[1..]),
    "remote-client-then-wait" => Scenarios.RemoteClientThenWait(args[1], int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture)),
    _ => Scenarios.Usage(),
};
