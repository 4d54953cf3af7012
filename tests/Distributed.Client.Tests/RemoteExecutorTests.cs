using Distributed.Futures;
using Distributed.Testing;

namespace Distributed.Client.Tests;

/// <summary>The shared executor contract, through a real coordinator to real worker processes.</summary>
public sealed class RemoteExecutorTests : TaskOptionsContractTests
{
    protected override Executor CreateExecutor(int maxWorkers)
    {
        var coordinator = TestCoordinator.Start(workers: maxWorkers).WithWorkersReady(maxWorkers);
        DisposeAfterExecutors(coordinator);
        return new RemoteExecutor(coordinator.Address);
    }
}
