using System.Globalization;
using System.Text;
using Distributed.Protocol.V1;

namespace Distributed.CoordinatorHost;

/// <summary>A coordinator's <see cref="StatusReply"/> as a person reads it: health, queue and counters, then a row per worker.</summary>
internal static class StatusTable
{
    public static string Render(string address, StatusReply status)
    {
        var text = new StringBuilder();
        var culture = CultureInfo.InvariantCulture;
        text.AppendLine(culture, $"coordinator {address}: {(IsHealthy(status) ? "healthy" : "NOT HEALTHY")}: {Verdict(status)}");
        text.AppendLine(culture, $"queued {status.QueuedItems:N0}   running {status.RunningItems:N0}   completed {status.CompletedItems:N0}   failed {status.FailedItems:N0}   clients {status.Clients}   workers {status.Workers.Count}");
        if (status.Workers.Count == 0)
        {
            return text.Append("no workers connected").AppendLine().ToString();
        }

        string[] header = ["WORKER", "HOST", "PID", "SLOTS", "RUNNING", "COMPLETED", "FAILED", "LAST HEARD", "MEMORY"];
        var rows = status.Workers.Select(w => new[]
        {
            w.WorkerId,
            w.Host,
            w.Pid.ToString(culture),
            w.Slots.ToString(culture),
            w.RunningItems.ToString("N0", culture),
            w.CompletedItems.ToString("N0", culture),
            w.FailedItems.ToString("N0", culture),
            $"{w.SinceHeardMs / 1000.0:F1} s ago",
            w.WorkingSetBytes == 0 ? "-" : $"{w.WorkingSetBytes / (1024.0 * 1024):F0} MiB",
        }).ToList();
        var widths = header.Select((title, column) => Math.Max(title.Length, rows.Max(row => row[column].Length))).ToArray();
        AppendRow(text, header, widths);
        rows.ForEach(row => AppendRow(text, row, widths));
        return text.ToString();
    }

    /// <summary>
    /// Healthy for a person or a script: the coordinator says so, and some worker is connected to
    /// run what comes (a coordinator with nothing queued calls itself healthy without one).
    /// </summary>
    public static bool IsHealthy(StatusReply status) => status.Healthy && status.Workers.Count > 0;

    public static string Verdict(StatusReply status) =>
        status.Healthy && status.Workers.Count == 0 ? "no worker is connected" : status.Health;

    private static void AppendRow(StringBuilder text, string[] cells, int[] widths)
    {
        for (int column = 0; column < cells.Length; column++)
        {
            // Text columns left-aligned, figures right-aligned.
            text.Append(column < 2 ? cells[column].PadRight(widths[column]) : cells[column].PadLeft(widths[column]));
            text.Append(column == cells.Length - 1 ? Environment.NewLine : "  ");
        }
    }
}
