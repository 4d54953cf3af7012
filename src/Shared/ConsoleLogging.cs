using Microsoft.Extensions.Logging;

namespace Distributed.Hosting;

/// <summary>How the executables write their log: lines for people, or JSON for machines.</summary>
internal enum LogFormat
{
    /// <summary>One line per entry, for a person at a terminal.</summary>
    Simple,

    /// <summary>One JSON object per line, every field of the entry (task, unit, client and worker ids) a property of its State.</summary>
    Json,
}

/// <summary>The console log of the <c>coordinator</c> and <c>worker</c> executables, the same in both (this file is compiled into each).</summary>
internal static class ConsoleLogging
{
    public const string FormatDescription =
        "The log's form: simple (the default), one line per entry, for people; json, one JSON object per line with every field of the entry (task, unit, client and worker ids) as a property, for machines.";

    /// <param name="logging">The log to add the console to.</param>
    /// <param name="format">Its form.</param>
    /// <param name="toStandardError">Everything to standard error (a worker's standard output belongs to its tasks).</param>
    public static ILoggingBuilder AddConsole(this ILoggingBuilder logging, LogFormat format, bool toStandardError = false)
    {
        if (format == LogFormat.Json)
        {
            logging.AddJsonConsole(json =>
            {
                json.IncludeScopes = true;
                json.UseUtcTimestamp = true;
                json.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            });
        }
        else
        {
            logging.AddSimpleConsole(console => console.SingleLine = true);
        }

        if (toStandardError)
        {
            logging.AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
        }

        return logging;
    }
}
