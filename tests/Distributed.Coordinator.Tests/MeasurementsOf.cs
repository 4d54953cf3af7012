using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Distributed.Coordinator.Tests;

/// <summary>
/// A meter factory whose meters only this test's listener hears, and the listener: the sums of
/// the counters and the latest observed values, by instrument name and tags. Other tests' engines,
/// in the same process, measure on meters of their own and are not heard.
/// </summary>
internal sealed class MeasurementsOf : IMeterFactory
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, double> _totals = new();
    private readonly ConcurrentDictionary<string, int> _counts = new();

    public MeasurementsOf()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Scope == this)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.Start();
    }

    public Meter Create(MeterOptions options)
    {
        options.Scope = this;
        return new Meter(options);
    }

    /// <summary>The sum recorded for <paramref name="name"/> (with the one tag given, as key=value, if any).</summary>
    public double Total(string name, string? tag = null) => _totals.GetValueOrDefault(Key(name, tag));

    /// <summary>The value <paramref name="name"/> gave at the last <see cref="Observe"/> (with the one tag given, as key=value, if any), or null if it gave none.</summary>
    public double? Observed(string name, string? tag = null) => _totals.TryGetValue("observed:" + Key(name, tag), out double value) ? value : null;

    /// <summary>How many measurements <paramref name="name"/> recorded (a histogram's sample count).</summary>
    public int Count(string name) => _counts.GetValueOrDefault(Key(name, null));

    /// <summary>Asks the observable instruments for their values now.</summary>
    public void Observe()
    {
        foreach (var key in _totals.Keys.Where(k => k.StartsWith("observed:", StringComparison.Ordinal)))
        {
            _totals.TryRemove(key, out _);
        }

        _listener.RecordObservableInstruments();
    }

    public void Dispose() => _listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        bool observed = instrument.GetType().Name.StartsWith("Observable", StringComparison.Ordinal);
        string prefix = observed ? "observed:" : string.Empty;
        _counts.AddOrUpdate(Key(instrument.Name, null), 1, (_, n) => n + 1);
        // An observation starts from nothing (Observe clears it): its measurements sum, like a counter's.
        _totals.AddOrUpdate(prefix + Key(instrument.Name, null), value, (_, sum) => sum + value);
        foreach (var tag in tags)
        {
            _totals.AddOrUpdate(prefix + Key(instrument.Name, $"{tag.Key}={tag.Value}"), value, (_, sum) => sum + value);
        }
    }

    private static string Key(string name, string? tag) => tag is null ? name : $"{name}|{tag}";
}
