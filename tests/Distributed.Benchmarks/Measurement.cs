namespace Distributed.Benchmarks;

/// <summary>Several runs of one figure (say tasks/s), summarized robustly: machines here are shared and noisy.</summary>
public sealed class Measurement(string name, string unit)
{
    private readonly List<double> _runs = [];

    public string Name { get; } = name;

    public string Unit { get; } = unit;

    public IReadOnlyList<double> Runs => _runs;

    public double Median
    {
        get
        {
            var sorted = _runs.Order().ToArray();
            int middle = sorted.Length / 2;
            return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
        }
    }

    public double Min => _runs.Min();

    public double Max => _runs.Max();

    public void Add(double value) => _runs.Add(value);

    public string Describe() => $"{Median,14:N0} {Unit} (min {Min:N0}, max {Max:N0}, {Runs.Count} runs)";
}
