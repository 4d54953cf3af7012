using Distributed.Testing;

namespace Distributed.FaultTests;

/// <summary>The worker executable, one slot, dialing once (no reconnect), allowed the shared test tasks.</summary>
internal static class StandaloneWorker
{
    public static ProgramProcess Start(string address, string id) =>
        ProgramProcess.Start("worker.dll", ["--coordinator", address, "--worker-id", id, "--slots", "1", "--no-reconnect", "--assembly", typeof(TestTasks).Assembly.Location]);
}
