using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Distributed.Coordinator.Supervision;

/// <summary>
/// The worker program ships precompiled (ReadyToRun) for one runtime, named in a file beside it.
/// On that runtime a pool runs it without tiered compilation: its code is then never compiled again
/// while it runs, which on a small machine took CPU from every worker's calls while each recompiled
/// its own hot paths. On any other runtime the precompiled code does not apply and the worker keeps
/// its tiers, or it would compile everything fully optimized at start.
/// </summary>
internal static class PrecompiledWorker
{
    /// <summary>The file, beside the worker program, naming the runtime its code was compiled for.</summary>
    public const string MarkerFileName = "worker.readytorun";

    private const string TieredCompilation = "DOTNET_TieredCompilation";

    /// <summary>Turns tiered compilation off for the worker when its code fits this runtime, unless the environment already says.</summary>
    public static void Tune(ProcessStartInfo start, string programPath)
    {
        if (start.Environment.ContainsKey(TieredCompilation) || start.Environment.ContainsKey("COMPlus_TieredCompilation"))
        {
            return;
        }

        if (CompiledFor(programPath) == RuntimeInformation.RuntimeIdentifier)
        {
            start.Environment[TieredCompilation] = "0";
        }
    }

    /// <summary>The runtime the program at <paramref name="programPath"/> was precompiled for, or null.</summary>
    public static string? CompiledFor(string programPath)
    {
        string marker = Path.Combine(Path.GetDirectoryName(programPath) ?? ".", MarkerFileName);
        try
        {
            return File.Exists(marker) ? File.ReadAllText(marker).Trim() : null;
        }
        catch (IOException)
        {
            // Unreadable: the worker keeps its tiers, which is always correct, only slower.
            return null;
        }
    }
}
