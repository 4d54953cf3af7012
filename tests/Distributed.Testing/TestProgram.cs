using System.Diagnostics;

namespace Distributed.Testing;

/// <summary>Runs Distributed.TestPrograms (copied beside the test assembly) as a child process, bounded by the default timeout.</summary>
public static class TestProgram
{
    public static (int ExitCode, string Output, string Errors) Run(params string[] arguments)
    {
        using var process = Start(arguments);
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TestTimeouts.Default))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The test program ({string.Join(' ', arguments)}) did not exit within {TestTimeouts.Default}.");
        }

        return (process.ExitCode, output.Result, errors.Result);
    }

    /// <summary>Starts the test program with its standard streams redirected; the caller ends it.</summary>
    public static Process Start(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Distributed.TestPrograms.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start) ?? throw new InvalidOperationException("the test program did not start");
    }

    /// <summary>Reads lines until one starts with <paramref name="prefix"/>, failing after the default timeout.</summary>
    public static string ReadLineStartingWith(Process process, string prefix)
    {
        var reading = Task.Run(() =>
        {
            while (process.StandardOutput.ReadLine() is { } line)
            {
                if (line.StartsWith(prefix, StringComparison.Ordinal))
                {
                    return line;
                }
            }

            throw new InvalidOperationException($"The test program ended without printing a line starting with '{prefix}'.");
        });
        return reading.Wait(TestTimeouts.Default) ? reading.Result : throw new TimeoutException($"No line starting with '{prefix}' within {TestTimeouts.Default}.");
    }
}
