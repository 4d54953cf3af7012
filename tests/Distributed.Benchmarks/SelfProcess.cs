using System.Diagnostics;
using System.Globalization;

namespace Distributed.Benchmarks;

/// <summary>Runs this benchmark program again as a child, for figures that need a fresh process.</summary>
public static class SelfProcess
{
    /// <summary>The child's last line of output.</summary>
    public static string Run(params string[] arguments) => RunAll(arguments).Split('\n')[^1];

    /// <summary>All of the child's output, trimmed.</summary>
    public static string RunAll(params string[] arguments)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, UseShellExecute = false };

        // Started as `dotnet Distributed.Benchmarks.dll`, the process is the dotnet host: pass it the dll.
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
        {
            start.ArgumentList.Add(typeof(SelfProcess).Assembly.Location);
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var child = Process.Start(start)!;
        string output = child.StandardOutput.ReadToEnd().Trim();
        child.WaitForExit();
        return output;
    }

    public static double Number(string text) => double.Parse(text, CultureInfo.InvariantCulture);
}
