using System.Diagnostics;

namespace Distributed.Testing;

/// <summary>Runs Distributed.TestPrograms (copied beside the test assembly) as a child process, bounded by the default timeout.</summary>
public static class TestProgram
{
    public static (int ExitCode, string Output, string Errors) Run(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Distributed.TestPrograms.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("the test program did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TestTimeouts.Default))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The test program ({string.Join(' ', arguments)}) did not exit within {TestTimeouts.Default}.");
        }

        return (process.ExitCode, output.Result, errors.Result);
    }
}
