namespace Distributed.Testing;

/// <summary>
/// Task functions that only make sense in a worker process: they exit it, prove where they ran,
/// or return what cannot cross a process boundary. Public and static, so workers find them by name.
/// </summary>
public static class ProcessTasks
{
    public const string InitializerFailure = "the initializer could not open its database";

    // Set by Initialize in the worker process; the default proves the initializer did not run there.
    private static string s_initializedBy = "nobody";

    /// <summary>Ends the worker process from inside a task, as a careless task might.</summary>
    public static int ExitProcess(int exitCode)
    {
        Environment.Exit(exitCode);
        return exitCode;
    }

    /// <summary>Waits at the gate, then ends the worker process.</summary>
    public static int ExitProcessAfterGate(int port)
    {
        TestTasks.PassGate(port, 0);
        Environment.Exit(42);
        return 0;
    }

    /// <summary>
    /// A poison task: arrives at the gate on <paramref name="port"/> (so each attempt is counted),
    /// then ends its worker process at once: by <c>Environment.Exit(exitCode)</c>, or, with
    /// <paramref name="exitCode"/> 0, by killing itself (SIGKILL), which leaves no last word.
    /// </summary>
    public static int ArriveThenDie(int port, int exitCode)
    {
        using (var client = new System.Net.Sockets.TcpClient(System.Net.Sockets.AddressFamily.InterNetwork))
        {
            client.Connect(System.Net.IPAddress.Loopback, port);
        }

        if (exitCode == 0)
        {
            System.Diagnostics.Process.GetCurrentProcess().Kill();
        }

        Environment.Exit(exitCode);
        return exitCode;
    }

    /// <summary>Appends <paramref name="id"/> to the file at <paramref name="path"/> (one line per run), and returns it: counts executions across processes.</summary>
    public static int RecordRun(string path, int id)
    {
        // One small O_APPEND write per run: lines from several processes never mix.
        File.AppendAllText(path, $"{id}\n");
        return id;
    }

    /// <summary>A result of <paramref name="length"/> bytes, each the low byte of its index.</summary>
    public static byte[] Bytes(int length)
    {
        var bytes = new byte[length];
        for (int i = 0; i < length; i++)
        {
            bytes[i] = (byte)i;
        }

        return bytes;
    }

    /// <summary>The length of an argument, for calls whose argument is large.</summary>
    public static int LengthOf(byte[] bytes) => bytes.Length;

    public static void Initialize() => s_initializedBy = $"initializer in process {Environment.ProcessId}";

    public static string InitializedBy() => s_initializedBy;

    public static void FailingInitializer() => throw new InvalidOperationException(InitializerFailure);

    public static int ThrowIfNegative(int value) =>
        value < 0 ? throw new ArgumentOutOfRangeException(nameof(value), value, "negative on purpose") : value;

    public static int ThrowCustom(string message) => throw new TaskSpecificException(message);

    public static int ThrowWithoutRebuildableConstructor(string message) => throw new OpaqueTaskException(message);

    /// <summary>A result no codec can carry: System.Text.Json refuses a cycle.</summary>
    public static Node CyclicResult()
    {
        var node = new Node();
        node.Next = node;
        return node;
    }

    public static int TakesNode(Node node) => node is null ? -1 : 1;

    /// <summary>Takes what cannot cross a process boundary: a stream.</summary>
    public static long StreamLength(Stream input) => input.Length;

    public static int Length(string text) => text.Length;

    public static string Describe(Measurement measurement) => $"{measurement.Name}={measurement.Value:F1}{measurement.Unit}";

    public static Measurement Doubled(Measurement measurement) => measurement with { Value = measurement.Value * 2 };

    public static int[] Reverse(int[] values) => [.. values.Reverse()];

    public static List<string> Upper(List<string> values) => values.Select(v => v.ToUpperInvariant()).ToList();

    public static DateTimeOffset AddDay(DateTimeOffset moment) => moment.AddDays(1);

    public static decimal Half(decimal value) => value / 2;

    public static Guid Same(Guid id) => id;

    public static string ReadEnvironment(string name) => Environment.GetEnvironmentVariable(name) ?? "(unset)";

    public static void Print(string text) => Console.WriteLine(text);
}

/// <summary>A record crossing the boundary through System.Text.Json.</summary>
public sealed record Measurement(string Name, double Value, string Unit);

/// <summary>A type whose instances can form a cycle.</summary>
public sealed class Node
{
    public Node? Next { get; set; }
}

/// <summary>A task exception the client can rebuild: public, with (string, Exception).</summary>
public sealed class TaskSpecificException : Exception
{
    public TaskSpecificException()
    {
    }

    public TaskSpecificException(string message)
        : base(message)
    {
    }

    public TaskSpecificException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>A task exception the client cannot rebuild: it lacks a (string, Exception) constructor.</summary>
#pragma warning disable CA1032 // Deliberately missing the standard constructors.
public sealed class OpaqueTaskException(string message) : Exception(message);
#pragma warning restore CA1032
