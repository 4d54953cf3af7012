using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Distributed.Testing;

namespace Distributed.FaultTests.Dashboard;

/// <summary>
/// A real headless Chromium showing one page, driven over the DevTools protocol (a WebSocket to
/// the page's target): the test asks the rendered page questions in JavaScript and waits, inside
/// the page, for the DOM to change. Its process and profile directory go on dispose.
/// </summary>
internal sealed class HeadlessChromium : IAsyncDisposable
{
    private static readonly string[] s_names = ["chromium", "chromium-browser", "google-chrome", "chrome"];

    private readonly Process _process;
    private readonly string _profile;
    private readonly ClientWebSocket _socket = new();
    private readonly StringBuilder _stderr = new();
    private int _nextId;

    private HeadlessChromium(Process process, string profile)
    {
        _process = process;
        _profile = profile;
    }

    /// <summary>The browser to run: CHROMIUM if set, else the first of the usual names on PATH; null when there is none.</summary>
    public static string? Find()
    {
        if (Environment.GetEnvironmentVariable("CHROMIUM") is { Length: > 0 } given)
        {
            return File.Exists(given) ? given : null;
        }

        var directories = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        return s_names.SelectMany(name => directories.Select(directory => Path.Combine(directory, name))).FirstOrDefault(File.Exists);
    }

    /// <summary>Starts the browser, connects to its page's DevTools target, and opens <paramref name="page"/> there.</summary>
    public static async Task<HeadlessChromium> OpenAsync(Uri page)
    {
        string program = Find() ?? throw new InvalidOperationException("chromium is not installed");
        string profile = Directory.CreateTempSubdirectory("dashboard-chromium-").FullName;
        var start = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string argument in (string[])[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", $"--user-data-dir={profile}",
            "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", "--window-size=1280,900", "about:blank"])
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
        var browser = new HeadlessChromium(process, profile);
        try
        {
            var devtools = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
            process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data is null)
                {
                    devtools.TrySetException(new InvalidOperationException($"chromium exited before it listened:\n{browser.Errors}"));
                    return;
                }

                lock (browser._stderr)
                {
                    browser._stderr.AppendLine(e.Data);
                }

                const string Listening = "DevTools listening on ";
                if (e.Data.StartsWith(Listening, StringComparison.Ordinal))
                {
                    devtools.TrySetResult(new Uri(e.Data[Listening.Length..].Trim()));
                }
            };
            process.OutputDataReceived += (_, _) => { };
            process.BeginErrorReadLine();
            process.BeginOutputReadLine();
            var endpoint = await devtools.Task.DefaultTimeout();
            await browser.ConnectToPageAsync(endpoint);
            await browser.CallAsync("Page.navigate", new JsonObject { ["url"] = page.ToString() });
            return browser;
        }
        catch
        {
            await browser.DisposeAsync();
            throw;
        }
    }

    /// <summary>What the browser wrote to standard error, for failure messages.</summary>
    public string Errors
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>Evaluates an expression in the page (awaiting it if it is a promise) and returns its value as JSON.</summary>
    /// <exception cref="InvalidOperationException">It threw or rejected; the message says what the page said.</exception>
    public async Task<JsonNode?> EvaluateAsync(string expression)
    {
        JsonNode reply;
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                reply = await CallAsync("Runtime.evaluate", new JsonObject { ["expression"] = expression, ["awaitPromise"] = true, ["returnByValue"] = true });
                break;
            }
            catch (DevToolsException refused) when (attempt < 20 && refused.Message.Contains("context", StringComparison.OrdinalIgnoreCase))
            {
                // The page was between documents (its first navigation committing): ask the new one.
                await Task.Delay(50);
            }
        }

        if (reply["exceptionDetails"] is { } thrown)
        {
            throw new InvalidOperationException($"The page threw: {thrown["exception"]?["description"] ?? thrown["text"]}");
        }

        return reply["result"]?["value"]?.DeepClone();
    }

    /// <summary>
    /// Waits, in the page, until <paramref name="condition"/> (a JavaScript expression) is truthy,
    /// looking again at every change of the DOM, and returns its value; fails after the default
    /// timeout with the page's text.
    /// </summary>
    public Task<JsonNode?> WaitForAsync(string condition) =>
        EvaluateAsync($$"""
            new Promise((resolve, reject) => {
              const look = () => { try { return ({{condition}}); } catch (e) { return undefined; } };
              const first = look();
              if (first) { resolve(first); return; }
              const watch = new MutationObserver(() => { const v = look(); if (v) { watch.disconnect(); clearTimeout(limit); resolve(v); } });
              const limit = setTimeout(() => { watch.disconnect(); reject(new Error("timed out waiting for: " + {{JsonSerializer.Serialize(condition)}} + "\npage: " + (document.body?.innerText ?? "(no body)").slice(0, 3000))); }, {{(int)(TestTimeouts.Default.TotalMilliseconds - 2000)}});
              watch.observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
            })
            """);

    public async ValueTask DisposeAsync()
    {
        _socket.Dispose();
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().DefaultTimeout();
            }
        }
        finally
        {
            _process.Dispose();
            try
            {
                Directory.Delete(_profile, recursive: true);
            }
            catch (IOException)
            {
                // A child process that outlived the kill by a moment may still hold a file; the temp directory is cleared eventually.
            }
        }
    }

    private async Task ConnectToPageAsync(Uri browserEndpoint)
    {
        // The blank page opened from the command line is a target of its own: find its socket in the target list.
        using var http = new HttpClient { Timeout = TestTimeouts.Default };
        var list = new Uri($"http://{browserEndpoint.Authority}/json/list");
        Uri? target = null;
        var deadline = DateTime.UtcNow + TestTimeouts.Default;
        while (target is null)
        {
            var targets = JsonNode.Parse(await http.GetStringAsync(list).DefaultTimeout())!.AsArray();
            target = targets
                .Where(t => (string?)t!["type"] == "page")
                .Select(t => new Uri((string)t!["webSocketDebuggerUrl"]!))
                .FirstOrDefault();
            if (target is null)
            {
                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException($"chromium shows no page: {targets.ToJsonString()}\n{Errors}");
                }

                // The target list is another process's state with no event to wait on.
                await Task.Delay(100);
            }
        }

        await _socket.ConnectAsync(target, CancellationToken.None).DefaultTimeout();
    }

    private async Task<JsonNode> CallAsync(string method, JsonObject parameters)
    {
        int id = ++_nextId;
        byte[] request = Encoding.UTF8.GetBytes(new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters }.ToJsonString());
        using var limit = new CancellationTokenSource(TestTimeouts.Default);
        await _socket.SendAsync(request, WebSocketMessageType.Text, endOfMessage: true, limit.Token);

        // Events the page sends meanwhile carry no id; the answer carries ours.
        var buffer = new byte[64 * 1024];
        while (true)
        {
            using var message = new MemoryStream();
            WebSocketReceiveResult received;
            do
            {
                received = await _socket.ReceiveAsync(buffer, limit.Token);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    throw new InvalidOperationException($"chromium closed the DevTools connection:\n{Errors}");
                }

                message.Write(buffer, 0, received.Count);
            }
            while (!received.EndOfMessage);

            var answer = JsonNode.Parse(message.ToArray())!;
            if ((int?)answer["id"] != id)
            {
                continue;
            }

            if (answer["error"] is { } error)
            {
                throw new DevToolsException($"DevTools refused {method}: {error.ToJsonString()}");
            }

            return answer["result"]!;
        }
    }
}

/// <summary>The DevTools protocol answered a call with an error.</summary>
internal sealed class DevToolsException(string message) : Exception(message);
