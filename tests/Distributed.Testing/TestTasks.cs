using System.Net;
using System.Net.Sockets;

namespace Distributed.Testing;

/// <summary>
/// The functions the executor tests submit. They are public static methods that capture nothing,
/// so a worker process can find them by name and run them just as a thread can.
/// </summary>
public static class TestTasks
{
    /// <summary>Codes for <see cref="Act"/>.</summary>
    public const int Fail = -1;
    public const int Hold = -2;

    public const string FailureMessage = "the task failed on purpose";

    public static int NoOp() => 0;

    public static int Identity(int value) => value;

    public static int Square(int value) => value * value;

    public static int Add(int a, int b) => a + b;

    public static int Sum3(int a, int b, int c) => a + b + c;

    public static string Concat(string a, string b) => a + b;

    public static void DoNothing()
    {
    }

    public static int Throw(string message) => throw new InvalidOperationException(message);

    public static void ThrowFromAction(string message) => throw new InvalidOperationException(message);

    public static string CurrentThreadName() => Thread.CurrentThread.Name ?? string.Empty;

    public static bool IsBackgroundThread() => Thread.CurrentThread.IsBackground;

    public static int CurrentProcessId() => Environment.ProcessId;

    /// <summary>Arrives at the gate on <paramref name="port"/>, waits to be let through, returns <paramref name="value"/>.</summary>
    public static int PassGate(int port, int value)
    {
        WaitAtGate(port);
        return value;
    }

    /// <summary>The action form of <see cref="PassGate"/>: proves the task ran by its arrival.</summary>
    public static void ArriveAtGate(int port) => WaitAtGate(port);

    /// <summary>Waits at the gate, then returns the name of the thread that ran it.</summary>
    public static string ThreadNameAfterGate(int port)
    {
        WaitAtGate(port);
        return CurrentThreadName();
    }

    /// <summary>Waits at the gate, then returns the process id that ran it.</summary>
    public static int ProcessIdAfterGate(int port)
    {
        WaitAtGate(port);
        return Environment.ProcessId;
    }

    /// <summary>
    /// One step of a scripted run, for Map tests: a code of zero or more is returned as is;
    /// <see cref="Fail"/> throws; <see cref="Hold"/> waits at the gate on <paramref name="port"/>.
    /// </summary>
    public static int Act(int port, int code)
    {
        switch (code)
        {
            case Fail:
                throw new InvalidOperationException(FailureMessage);
            case Hold:
                WaitAtGate(port);
                return code;
            default:
                return code;
        }
    }

    private static void WaitAtGate(int port)
    {
        using var client = new TcpClient(AddressFamily.InterNetwork) { NoDelay = true };
        client.Connect(IPAddress.Loopback, port);
        using var stream = client.GetStream();

        // A safety valve only: a test that forgets its gate must not leave a worker blocked forever.
        stream.ReadTimeout = (int)(TestTimeouts.Default.TotalMilliseconds * 4);
        stream.ReadByte();
    }
}
