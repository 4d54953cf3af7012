using System.Net;
using System.Net.Sockets;

namespace Distributed.Testing;

/// <summary>
/// A gate that tasks wait at, in this process or any other: a task connects to <see cref="Port"/>
/// on loopback (its arrival) and blocks reading one byte until the test lets it through. Tests use
/// it to hold a worker busy, to learn that a task has started, and to prove a task never ran.
/// Disposing opens the gate, so no task is left blocked.
/// </summary>
public sealed class TaskGate : IDisposable
{
    private readonly TcpListener _listener;
    private readonly object _sync = new();
    private readonly List<TcpClient> _held = [];
    private int _arrivals;
    private bool _open;

    public TaskGate()
    {
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _ = AcceptLoopAsync();
    }

    public int Port { get; }

    /// <summary>How many tasks have reached the gate so far.</summary>
    public int Arrivals
    {
        get
        {
            lock (_sync)
            {
                return _arrivals;
            }
        }
    }

    /// <summary>Blocks until at least <paramref name="count"/> tasks have arrived.</summary>
    /// <exception cref="TimeoutException">They did not arrive within <see cref="TestTimeouts.Default"/>.</exception>
    public void WaitForArrivals(int count)
    {
        var deadline = DateTime.UtcNow + TestTimeouts.Default;
        lock (_sync)
        {
            while (_arrivals < count)
            {
                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero)
                {
                    throw new TimeoutException($"Only {_arrivals} of {count} tasks reached the gate within {TestTimeouts.Default}.");
                }

                Monitor.Wait(_sync, left);
            }
        }
    }

    /// <summary>Lets every waiting task through, and every task that arrives later.</summary>
    public void Open()
    {
        lock (_sync)
        {
            _open = true;
            _held.ForEach(Release);
            _held.Clear();
        }
    }

    /// <summary>Lets the task that arrived first (of those still waiting) through.</summary>
    public void ReleaseOne()
    {
        lock (_sync)
        {
            if (_held.Count == 0)
            {
                throw new InvalidOperationException("No task is waiting at the gate.");
            }

            Release(_held[0]);
            _held.RemoveAt(0);
        }
    }

    public void Dispose()
    {
        Open();
        _listener.Stop();
    }

    private static void Release(TcpClient client)
    {
        try
        {
            client.GetStream().WriteByte(1);
        }
        catch (IOException)
        {
            // The task's process is gone; nothing is waiting any more.
        }
        finally
        {
            client.Dispose();
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (true)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is ObjectDisposedException or SocketException or InvalidOperationException)
            {
                return;
            }

            client.NoDelay = true;
            lock (_sync)
            {
                _arrivals++;
                if (_open)
                {
                    Release(client);
                }
                else
                {
                    _held.Add(client);
                }

                Monitor.PulseAll(_sync);
            }
        }
    }
}
