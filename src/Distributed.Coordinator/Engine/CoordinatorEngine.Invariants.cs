using System.Diagnostics;

namespace Distributed.Coordinator.Engine;

internal sealed partial class CoordinatorEngine
{
    /// <summary>
    /// What must hold between the engine's maps whenever its lock is let go (checked in Debug
    /// builds, where the engine tests also run): a unit with open items is exactly one of queued or
    /// held by one worker; whatever a worker holds names that worker and is not queued; every unit
    /// a client knows is its own and not done; what a worker holds is found by the id the worker knows.
    /// </summary>
    [Conditional("DEBUG")]
    private void AssertInvariantsLocked()
    {
        Debug.Assert(Monitor.IsEntered(_sync));
        foreach (var record in AllUnitsLocked())
        {
            bool queued = record.Queued;
            bool held = record.Worker is not null;
            Debug.Assert(record.OpenItems == 0 || queued != held, $"unit {record.Id}: queued {queued}, held {held}");
            Debug.Assert(!held || record.Worker!.InFlight.Contains(record), $"unit {record.Id} names worker {record.Worker?.Id}, which does not hold it");
        }

        foreach (var worker in _workers)
        {
            foreach (var record in worker.InFlight)
            {
                Debug.Assert(record.Worker == worker && !record.Queued && _units.GetValueOrDefault(record.Id) == record, $"worker {worker.Id} holds unit {record.Id}, which is elsewhere");
            }
        }

        foreach (var client in _clients)
        {
            foreach (var record in client.Units.Values)
            {
                Debug.Assert(record.Client == client && (record.OpenItems > 0 || record.Worker is not null), $"client {client.Id} still knows unit {record.ClientUnitId}, which is done");
            }
        }
    }
}
