using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Distributed.Coordinator.Supervision;

/// <summary>Stopping a process politely: SIGTERM, which .NET's Process API does not offer (its Kill is SIGKILL).</summary>
internal static partial class Signals
{
    private const int SigTerm = 15;

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

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial int SendSignal(int pid, int signal);
}
