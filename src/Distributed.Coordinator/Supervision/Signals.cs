using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace Distributed.Coordinator.Supervision;

/// <summary>
/// Signals: stopping a process politely (SIGTERM, which .NET's Process API does not offer: its
/// Kill is SIGKILL), and reading an exit code the way the kernel wrote it.
/// </summary>
internal static partial class Signals
{
    private const int SigTerm = 15;

    // .NET reports a process killed by signal n with exit code 128 + n, as shells do.
    private const int SignalBase = 128;

    /// <summary>Asks the process to terminate; kills it where signals do not exist.</summary>
    public static void Terminate(Process process)
    {
        if (OperatingSystem.IsWindows())
        {
            process.Kill(entireProcessTree: true);
            return;
        }

        _ = SendSignal(process.Id, SigTerm);
    }

    /// <summary>The signal an exit code stands for, or null for an ordinary exit.</summary>
    public static int? SignalOf(int exitCode) => exitCode is > SignalBase and <= SignalBase + 64 ? exitCode - SignalBase : null;

    /// <summary>An exit code in words: "exit code 137 (signal 9, SIGKILL)", or "exit code 3".</summary>
    public static string DescribeExit(int exitCode) =>
        SignalOf(exitCode) is int signal
            ? string.Create(CultureInfo.InvariantCulture, $"exit code {exitCode} (signal {signal}, {Name(signal)})")
            : string.Create(CultureInfo.InvariantCulture, $"exit code {exitCode}");

    private static string Name(int signal) => signal switch
    {
        1 => "SIGHUP",
        2 => "SIGINT",
        3 => "SIGQUIT",
        4 => "SIGILL",
        6 => "SIGABRT",
        7 => "SIGBUS",
        8 => "SIGFPE",
        9 => "SIGKILL",
        11 => "SIGSEGV",
        13 => "SIGPIPE",
        14 => "SIGALRM",
        15 => "SIGTERM",
        _ => string.Create(CultureInfo.InvariantCulture, $"SIG{signal}"),
    };

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial int SendSignal(int pid, int signal);
}
