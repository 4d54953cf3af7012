using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Distributed.Futures;
using Distributed.Protocol;
using Distributed.Testing;

namespace Distributed.Client.Tests;

/// <summary>
/// What a client process measures per executor, on the library's meter: tasks submitted and
/// completed by outcome, and bytes out and in. Other tests may run beside this one in the process,
/// so the checks are lower bounds of what this test itself caused.
/// </summary>
public sealed class ClientMetricsTests
{
    [Fact]
    public void RemoteAndThreadPoolExecutors_CountTheirTasksByOutcome_AndTheRemoteOneAndTheCoordinatorTheirBytes()
    {
        var totals = new ConcurrentDictionary<string, long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, meters) =>
        {
            if (instrument.Meter.Name == DistributedTelemetry.MeterName && (instrument.Name.StartsWith("distributed.client.", StringComparison.Ordinal) || instrument.Name.StartsWith("distributed.coordinator.bytes.", StringComparison.Ordinal)))
            {
                meters.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            string key = instrument.Name;
            foreach (var tag in tags)
            {
                key += $"|{tag.Key}={tag.Value}";
            }

            totals.AddOrUpdate(key, value, (_, total) => total + value);
        });
        listener.Start();

        using (var coordinator = TestCoordinator.Start(workers: 1))
        using (var remote = new RemoteExecutor(coordinator.Address))
        {
            var squares = remote.Map(TestTasks.Square, Enumerable.Range(0, 20), chunkSize: 5).ToList();
            Assert.Equal(20, squares.Count);
            var failing = Enumerable.Range(0, 3).Select(i => remote.Submit(TestTasks.Throw, $"counted {i}")).ToList();
            Assert.All(failing, future => Assert.IsType<InvalidOperationException>(future.Exception(TestTimeouts.Default)));
        }

        using (var threads = new ThreadPoolExecutor(2))
        {
            Assert.Equal(4, threads.Submit(TestTasks.Square, 2).Result(TestTimeouts.Default));
            Assert.IsType<InvalidOperationException>(threads.Submit(TestTasks.Throw, "counted").Exception(TestTimeouts.Default));
        }

        // The pools' and the coordinator's task counters are observed, once, here (they are totals);
        // the thread pool's are recorded as they happen.
        listener.RecordObservableInstruments();
        long Total(string key) => totals.GetValueOrDefault(key);
        Assert.True(Total("distributed.client.tasks.submitted|distributed.executor=remote") >= 23, Describe(totals));
        Assert.True(Total("distributed.client.tasks.completed|distributed.executor=remote|outcome=result") >= 20, Describe(totals));
        Assert.True(Total("distributed.client.tasks.completed|distributed.executor=remote|outcome=exception") >= 3, Describe(totals));
        Assert.True(Total("distributed.client.bytes.sent|distributed.executor=remote") > 0, Describe(totals));
        Assert.True(Total("distributed.client.bytes.received|distributed.executor=remote") > 0, Describe(totals));
        Assert.True(Total("distributed.client.tasks.submitted|distributed.executor=thread_pool") >= 2, Describe(totals));
        foreach (string peer in new[] { "client", "worker" })
        {
            Assert.True(Total($"distributed.coordinator.bytes.received|peer={peer}") > 0, Describe(totals));
            Assert.True(Total($"distributed.coordinator.bytes.sent|peer={peer}") > 0, Describe(totals));
        }

        Assert.True(Total("distributed.client.tasks.completed|distributed.executor=thread_pool|outcome=result") >= 1, Describe(totals));
        Assert.True(Total("distributed.client.tasks.completed|distributed.executor=thread_pool|outcome=exception") >= 1, Describe(totals));
    }

    private static string Describe(ConcurrentDictionary<string, long> totals) =>
        string.Join(Environment.NewLine, totals.OrderBy(pair => pair.Key).Select(pair => $"{pair.Key}: {pair.Value}"));
}
