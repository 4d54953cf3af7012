using Distributed.Futures;

namespace Distributed.Testing;

/// <summary>
/// A progress sink that keeps every report it is given, called on the reporting thread itself
/// (unlike <see cref="Progress{T}"/>, which posts), so a test sees exactly what the library sent.
/// </summary>
public sealed class RecordingProgress : IProgress<BatchProgress>, IDisposable
{
    private readonly object _lock = new();
    private readonly List<BatchProgress> _reports = [];
    private readonly ManualResetEventSlim _final = new();
    private readonly Action<BatchProgress>? _onReport;

    /// <param name="onReport">Runs inside each report, after it is recorded (to throw, say).</param>
    public RecordingProgress(Action<BatchProgress>? onReport = null) => _onReport = onReport;

    /// <summary>Every report so far, in the order received.</summary>
    public IReadOnlyList<BatchProgress> Reports
    {
        get
        {
            lock (_lock)
            {
                return [.. _reports];
            }
        }
    }

    /// <summary>The last report received.</summary>
    public BatchProgress Last => Reports[^1];

    public void Report(BatchProgress value)
    {
        lock (_lock)
        {
            _reports.Add(value);
        }

        if (value.IsFinal)
        {
            _final.Set();
        }

        _onReport?.Invoke(value);
    }

    /// <summary>Waits for the final report, failing after <see cref="TestTimeouts.Default"/>.</summary>
    public BatchProgress WaitForFinal()
    {
        if (!_final.Wait(TestTimeouts.Default))
        {
            throw new TimeoutException($"No final progress report within {TestTimeouts.Default}; got {Reports.Count} reports.");
        }

        return Last;
    }

    public void Dispose() => _final.Dispose();
}
