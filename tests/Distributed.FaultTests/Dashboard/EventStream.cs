using System.Text.Json;
using Distributed.Testing;

namespace Distributed.FaultTests.Dashboard;

/// <summary>The dashboard's <c>/events</c> read as a browser's EventSource reads it: one snapshot per <c>data:</c> event.</summary>
internal sealed class EventStream : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;

    private EventStream(HttpResponseMessage response, StreamReader reader)
    {
        _response = response;
        _reader = reader;
    }

    public static async Task<EventStream> OpenAsync(HttpClient http)
    {
        var response = await http.GetAsync(new Uri("events", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead).DefaultTimeout();
        try
        {
            response.EnsureSuccessStatusCode();
            Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
            var reader = new StreamReader(await response.Content.ReadAsStreamAsync().DefaultTimeout());
            return new EventStream(response, reader);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    /// <summary>The next snapshot; fails after the default timeout, or if the stream ends.</summary>
    public async Task<JsonDocument> NextAsync()
    {
        using var limit = new CancellationTokenSource(TestTimeouts.Default);
        while (true)
        {
            string? line = await _reader.ReadLineAsync(limit.Token);
            if (line is null)
            {
                throw new EndOfStreamException("The dashboard's event stream ended.");
            }

            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                return JsonDocument.Parse(line["data: ".Length..]);
            }
        }
    }

    /// <summary>Reads snapshots until one satisfies <paramref name="condition"/>, and returns it.</summary>
    public async Task<JsonDocument> WaitForAsync(Func<JsonElement, bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TestTimeouts.Default;
        while (DateTime.UtcNow < deadline)
        {
            var snapshot = await NextAsync();
            if (condition(snapshot.RootElement))
            {
                return snapshot;
            }

            snapshot.Dispose();
        }

        throw new TimeoutException($"No snapshot within {TestTimeouts.Default} showed {what}.");
    }

    public ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _response.Dispose();
        return ValueTask.CompletedTask;
    }
}
