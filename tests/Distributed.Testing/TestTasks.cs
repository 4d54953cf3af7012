using System.Net;
using System.Net.Sockets;

namespace Distributed.Testing;

/// <summary>
/// The functions the executor tests submit. They are public static methods that capture nothing,
/// so a worker process can find them by name and run them just as a thread can.
/// </summary>
public static partial class TestTasks
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

    public static async Task<int> NoOpAsync()
    {
        await Task.Yield();
        return 0;
    }

    public static async Task<int> SquareAsync(int value)
    {
        await Task.Yield();
        return value * value;
    }

    public static async ValueTask<int> AddValueAsync(int a, int b)
    {
        await Task.Yield();
        return a + b;
    }

    public static async Task<int> Sum3Async(int a, int b, int c)
    {
        await Task.Yield();
        return a + b + c;
    }

    /// <summary>An async function that never awaits: its task has ended when it returns.</summary>
    public static Task<int> SquareAlreadyDone(int value) => Task.FromResult(value * value);

    public static async Task DoNothingAsync() => await Task.Yield();

    public static async ValueTask DoNothingValueAsync(int value)
    {
        await Task.Yield();
        GC.KeepAlive(value);
    }

    /// <summary>Throws after its first await, so the exception travels through the awaited task.</summary>
    public static async Task<int> ThrowAfterAwaitAsync(string message)
    {
        await Task.Yield();
        throw new InvalidOperationException(message);
    }

    /// <summary>The async form of <see cref="PassGate"/>: it awaits the gate without holding a thread.</summary>
    public static async Task<int> PassGateAsync(int port, int value)
    {
        await WaitAtGateAsync(port).ConfigureAwait(false);
        return value;
    }

    public static int AddWithToken(int a, int b, CancellationToken token) => token.IsCancellationRequested ? -1 : a + b;

    /// <summary>Arrives at the gate (so a test knows it ran) and returns at once.</summary>
    public static int ArriveWithToken(int port, CancellationToken token)
    {
        using var client = new TcpClient(AddressFamily.InterNetwork);
        client.Connect(IPAddress.Loopback, port);
        return token.IsCancellationRequested ? 1 : 0;
    }

    /// <summary>Arrives at the gate, then awaits its token: it ends only by being canceled (or the safety valve).</summary>
    public static async Task<int> AwaitCancelAsync(int port, CancellationToken token)
    {
        using var client = new TcpClient(AddressFamily.InterNetwork);
        await client.ConnectAsync(IPAddress.Loopback, port, CancellationToken.None).ConfigureAwait(false);
        await Task.Delay(TestTimeouts.Default * 4, token).ConfigureAwait(false);
        return 0;
    }

    /// <summary>The sync form of <see cref="AwaitCancelAsync"/>: it blocks on its token's wait handle.</summary>
    public static int BlockUntilCanceled(int port, CancellationToken token)
    {
        using var client = new TcpClient(AddressFamily.InterNetwork);
        client.Connect(IPAddress.Loopback, port);
        token.WaitHandle.WaitOne(TestTimeouts.Default * 4);
        token.ThrowIfCancellationRequested();
        return 0;
    }

    /// <summary>Throws OperationCanceledException though its token was never canceled: that is an ordinary exception.</summary>
    public static int ThrowCanceledOnItsOwn(CancellationToken token) =>
        throw new OperationCanceledException("gave up on its own");

    private static async Task WaitAtGateAsync(int port)
    {
        using var client = new TcpClient(AddressFamily.InterNetwork) { NoDelay = true };
        await client.ConnectAsync(IPAddress.Loopback, port).ConfigureAwait(false);
        using var stream = client.GetStream();

        // A safety valve only, as for WaitAtGate.
        using var valve = new CancellationTokenSource(TestTimeouts.Default * 4);
        await stream.ReadAsync(new byte[1], valve.Token).ConfigureAwait(false);
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
