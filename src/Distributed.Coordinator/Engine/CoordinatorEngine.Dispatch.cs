using System.Diagnostics;
using Distributed.Protocol.V1;

namespace Distributed.Coordinator.Engine;

internal sealed partial class CoordinatorEngine
{
    /// <summary>Hands queued units to workers with room, oldest first, to the worker with the most room.</summary>
    private void DispatchLocked(Deliveries deliveries)
    {
        Debug.Assert(Monitor.IsEntered(_sync));
        while (_queue.First is { } node)
        {
            var worker = WorkerWithMostRoomLocked();
            if (worker is null)
            {
                return;
            }

            var record = node.Value;
            _queue.RemoveFirst();
            record.QueueNode = null;
            if (record.OpenItems == 0)
            {
                ForgetIfClosedLocked(record, deliveries);
                continue;
            }

            AssignLocked(worker, record);
        }
    }

    private WorkerSession? WorkerWithMostRoomLocked()
    {
        WorkerSession? best = null;
        foreach (var worker in _workers)
        {
            if (worker.HasRoom && (best is null || worker.Room > best.Room))
            {
                best = worker;
            }
        }

        return best;
    }

    private void AssignLocked(WorkerSession worker, UnitRecord record)
    {
        record.Worker = worker;
        record.StartedIndex = -1;
        worker.InFlight.AddLast(record);
        worker.AssignedItems += (ulong)record.OpenItems;
        if (worker.Budget is int budget)
        {
            worker.Budget = budget - 1;
        }

        var unit = MessageFor(record);
        uint functionId = unit.FunctionId;
        bool define = worker.DefinedFunctions.Add(functionId);
        var definition = define ? new FunctionDefinition { FunctionId = functionId, Function = _functions[(int)functionId] } : null;
        worker.Mailbox.Post(m =>
        {
            if (definition is not null)
            {
                m.Functions.Add(definition);
            }

            m.Units.Add(unit);
        });
    }

    /// <summary>
    /// The message to send: the original the first time, and a fresh shallow copy with the items no
    /// longer open marked skipped when it goes out again, so no message is changed after it was
    /// posted to a stream.
    /// </summary>
    private static CallUnit MessageFor(UnitRecord record)
    {
        if (record.OpenItems == record.Count && record.Message.Skip.Count == 0)
        {
            return record.Message;
        }

        var unit = new CallUnit
        {
            UnitId = record.Id,
            FunctionId = record.Message.FunctionId,
            Count = record.Message.Count,
        };
        unit.Arguments.AddRange(record.Message.Arguments);
        for (uint index = 0; index < record.Count; index++)
        {
            if (!record.IsOpen(index))
            {
                unit.Skip.Add(index);
            }
        }

        return unit;
    }
}
