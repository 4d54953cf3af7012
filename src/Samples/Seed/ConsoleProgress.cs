using Distributed.Futures;

namespace Distributed.Samples.Seed;

/// <summary>
/// Shows a long run's progress: on a terminal, one bar redrawn in place (done/total, rate, time
/// left) and wiped when the run ends, so the results print as they always did; when the output
/// goes to a file or a pipe, where a redrawn line would be noise, a plain line now and then and one
/// at the end.
/// </summary>
public sealed class ConsoleProgress : IProgress<BatchProgress>
{
    private const int BarWidth = 24;

    private readonly string _label;
    private readonly TextWriter _out;
    private readonly bool _live;
    private int _drawn;

    /// <summary>A sink for standard output, live unless the output is redirected.</summary>
    public ConsoleProgress(string label)
        : this(label, Console.Out, live: !Console.IsOutputRedirected)
    {
    }

    /// <summary>A sink for <paramref name="output"/>: a redrawn bar if <paramref name="live"/>, plain lines if not.</summary>
    public ConsoleProgress(string label, TextWriter output, bool live)
    {
        _label = label;
        _out = output;
        _live = live;
    }

    /// <summary>How often to report: often enough for a bar to move smoothly, seldom for lines in a log.</summary>
    public ProgressOptions Options => new() { Interval = _live ? TimeSpan.FromMilliseconds(100) : TimeSpan.FromSeconds(1) };

    public void Report(BatchProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (_live)
        {
            Draw(value);
        }
        else if (value.Done > 0 || value.IsFinal)
        {
            _out.WriteLine($"  {_label}: {value}");
        }
    }

    /// <summary>The bar's text, such as <c>[#########...............] 12/32  4.1/s  ETA 0:05</c>.</summary>
    public static string Bar(BatchProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        int filled = (int)Math.Round(value.Fraction.GetValueOrDefault() * BarWidth);
        string total = value.Total is { } known ? known.ToString("N0", null) : "?";
        string eta = value.EstimatedRemaining is { } left && left < TimeSpan.FromDays(1) ? $"ETA {Minutes(left)}" : "ETA -:--";
        return $"[{new string('#', filled)}{new string('.', BarWidth - filled)}] {value.Done:N0}/{total}  {value.Rate,6:F1}/s  {eta}";
    }

    // Rounded up: "0:00" while work is left would say it is done.
    private static string Minutes(TimeSpan left)
    {
        long seconds = (long)Math.Ceiling(left.TotalSeconds);
        return $"{seconds / 60}:{seconds % 60:00}";
    }

    private void Draw(BatchProgress value)
    {
        string line = $"{_label,-38} {Bar(value)}";

        // Pad over what the previous, longer line left; on the final report wipe the line, so the
        // result that follows takes its place.
        string text = value.IsFinal ? new string(' ', Math.Max(_drawn, line.Length)) : line.PadRight(_drawn);
        _out.Write($"\r{text}{(value.IsFinal ? "\r" : string.Empty)}");
        _drawn = line.Length;
    }
}
