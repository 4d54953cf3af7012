using Distributed.Futures;
using Distributed.Testing;

namespace Distributed.Coordinator.Tests;

/// <summary>The shared executor contract, run against worker processes.</summary>
public sealed class ProcessPoolExecutorTests : TaskOptionsContractTests
{
    protected override Executor CreateExecutor(int maxWorkers) => new ProcessPoolExecutor(maxWorkers);
}
