using System.Collections.Concurrent;
using System.Diagnostics;

namespace Distributed.Testing;

/// <summary>
/// One of the solution's executables (coordinator, worker, test programs) run as a real process
/// from beside the test assembly, its output captured line by line. Killed on dispose.
/// </summary>
public sealed class ProgramProcess : IDisposable
{
    private readonly Process _process;
    private readonly BlockingCollection<string> _lines = [];
    private readonly ConcurrentQueue<string> _all = new();

    private ProgramProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Capture(e.Data);
        _process.ErrorDataReceived += (_, e) => Capture(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Everything printed so far, for failure messages.</summary>
    public string Output => string.Join(Environment.NewLine, _all);

    /// <summary>Starts <c>dotnet {dll} {arguments}</c> with extra environment variables.</summary>
    public static ProgramProcess Start(string dll, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null) =>
        StartNative("dotnet", [Path.Combine(AppContext.BaseDirectory, dll), .. arguments], environment);

    /// <summary>Starts a program that is not ours (a server a test talks to), its output captured the same way.</summary>
    public static ProgramProcess StartNative(string program, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        return new ProgramProcess(Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start"));
    }

    /// <summary>
    /// Starts the <c>coordinator</c> executable listening on a free loopback port (plus
    /// <paramref name="arguments"/>) and returns it once it listens, with the address it chose.
    /// </summary>
    public static ProgramProcess StartCoordinator(IEnumerable<string> arguments, out string address, IReadOnlyDictionary<string, string>? environment = null)
    {
        var coordinator = Start("coordinator.dll", ["--listen", "http://127.0.0.1:0", .. arguments], environment);
        string line = coordinator.WaitForLine("Coordinator listening on http://");
        address = line[line.IndexOf("http://", StringComparison.Ordinal)..].Split(',', ' ')[0];
        return coordinator;
    }

    /// <summary>Waits for a line containing <paramref name="text"/> and returns it.</summary>
    public string WaitForLine(string text)
    {
        var deadline = DateTime.UtcNow + TestTimeouts.Default;
        while (DateTime.UtcNow < deadline)
        {
            if (_lines.TryTake(out var line, deadline - DateTime.UtcNow) && line.Contains(text, StringComparison.Ordinal))
            {
                return line;
            }
        }

        throw new TimeoutException($"No line containing '{text}' within {TestTimeouts.Default}. Output:{Environment.NewLine}{Output}");
    }

    /// <summary>Waits for the process to exit and returns its exit code.</summary>
    public int WaitForExit()
    {
        if (!_process.WaitForExit(TestTimeouts.Default))
        {
            throw new TimeoutException($"The process did not exit within {TestTimeouts.Default}. Output:{Environment.NewLine}{Output}");
        }

        _process.WaitForExit();
        return _process.ExitCode;
    }

    public void Kill() => _process.Kill(entireProcessTree: true);

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(TestTimeouts.Default);
        }

        _process.Dispose();
        _lines.Dispose();
    }

    private void Capture(string? line)
    {
        if (line is null)
        {
            return;
        }

        _all.Enqueue(line);
        _lines.Add(line);
    }
}
