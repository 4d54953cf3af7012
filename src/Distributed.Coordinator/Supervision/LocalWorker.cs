using System.Diagnostics;

namespace Distributed.Coordinator.Supervision;

/// <summary>
/// One worker process the supervisor started: its process, whether it registered, and the last
/// lines it wrote to standard error (passed on to this process's own), which are the evidence of
/// why it could not start when it exits before registering.
/// </summary>
internal sealed class LocalWorker(string id, Process process)
{
    private const int TailLines = 12;

    private readonly Queue<string> _tail = new();
    private readonly TaskCompletionSource _errorsClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Id { get; } = id;

    public Process Process { get; } = process;

    /// <summary>Read only after the process exited; written once, on start.</summary>
    public int Pid { get; set; }

    /// <summary>Guarded by the supervisor's lock.</summary>
    public bool Registered { get; set; }

    /// <summary>How the process ended, once it has.</summary>
    public TaskCompletionSource<string> Exit { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the process's standard error reached its end (or is given up on).</summary>
    public Task ErrorsClosed => _errorsClosed.Task;

    /// <summary>The last lines of standard error, oldest first.</summary>
    public IReadOnlyList<string> Tail
    {
        get
        {
            lock (_tail)
            {
                return [.. _tail];
            }
        }
    }

    /// <summary>Takes one line of the process's standard error (null: its end), and passes it on.</summary>
    public void OnErrorLine(string? line)
    {
        if (line is null)
        {
            _errorsClosed.TrySetResult();
            return;
        }

        Console.Error.WriteLine(line);
        lock (_tail)
        {
            _tail.Enqueue(line);
            if (_tail.Count > TailLines)
            {
                _tail.Dequeue();
            }
        }
    }
}
