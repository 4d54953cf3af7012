using System.Text.Json;
using Distributed.Futures;
using Distributed.Testing;

namespace Distributed.FaultTests;

/// <summary>
/// <c>--log-format json</c>: every line the coordinator writes is one JSON object, and a line about
/// a task carries the task's ids as properties a machine can select on.
/// </summary>
public sealed class JsonLogTests
{
    [Fact]
    public void ATaskThatKillsItsWorker_IsLoggedAsJson_WithItsClientUnitAndIndex()
    {
        var coordinator = ProgramProcess.Start("coordinator.dll", [
            "--listen", "http://127.0.0.1:0", "--log-format", "json", "--max-retries", "0",
            "--workers", "1", "--assembly", typeof(ProcessTasks).Assembly.Location,
        ]);
        using (coordinator)
        {
            using var listening = JsonDocument.Parse(coordinator.WaitForLine("Coordinator listening on"));
            string message = listening.RootElement.GetProperty("Message").GetString()!;
            string address = message[message.IndexOf("http://", StringComparison.Ordinal)..].Split(',')[0];

            using (var executor = new RemoteExecutor(address))
            {
                var poison = executor.Submit(ProcessTasks.ExitProcess, 7);
                Assert.Throws<WorkerLostException>(() => poison.Result(TestTimeouts.Default));
            }

            using var lost = JsonDocument.Parse(coordinator.WaitForLine("\"EventId\":11"));
            var state = lost.RootElement.GetProperty("State");
            Assert.Equal("Warning", lost.RootElement.GetProperty("LogLevel").GetString());
            Assert.Equal("Distributed.Testing.ProcessTasks.ExitProcess", state.GetProperty("Function").GetString());
            Assert.Equal(0, state.GetProperty("Index").GetInt32());
            Assert.True(state.GetProperty("UnitId").GetUInt64() > 0);
            Assert.False(string.IsNullOrEmpty(state.GetProperty("ClientId").GetString()));
            Assert.Contains("failed: its worker died", lost.RootElement.GetProperty("Message").GetString(), StringComparison.Ordinal);
        }

        // Every line the coordinator wrote, the framework's own included, is JSON (its local workers log in their own form).
        foreach (string line in coordinator.Output.Split(Environment.NewLine).Where(line => line.Length > 0 && !line.Contains("worker[", StringComparison.Ordinal)))
        {
            using var parsed = JsonDocument.Parse(line);
            Assert.True(parsed.RootElement.TryGetProperty("Message", out _), line);
        }
    }
}
