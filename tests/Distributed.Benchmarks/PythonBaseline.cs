using System.Diagnostics;
using System.Globalization;

namespace Distributed.Benchmarks;

/// <summary>Runs one of the Python baseline scripts shipped beside this program and reads the number it prints.</summary>
public static class PythonBaseline
{
    public static double Run(string script, params string[] arguments) =>
        double.Parse(RunText(script, arguments), CultureInfo.InvariantCulture);

    /// <summary>Runs the script and returns the last line it printed.</summary>
    public static string RunText(string script, params string[] arguments)
    {
        var start = new ProcessStartInfo("python3")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "baselines", script));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var python = Process.Start(start) ?? throw new InvalidOperationException("python3 did not start");
        string output = python.StandardOutput.ReadToEnd();
        string errors = python.StandardError.ReadToEnd();
        python.WaitForExit();
        if (python.ExitCode != 0)
        {
            throw new InvalidOperationException($"python3 {script} exited with {python.ExitCode}: {errors}");
        }

        return output.Trim().Split('\n')[^1];
    }
}
