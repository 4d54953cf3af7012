using Distributed.WorkerHost;
using Microsoft.Extensions.Logging;

namespace Distributed.Worker.Tests;

/// <summary>
/// The worker's log is built on its first entry that passes the level, never before: an entry
/// below the level, or asking whether a level is on, builds nothing; the first entry above it
/// builds the factory once and reaches it whole; disposing ends only a factory that was built.
/// </summary>
public sealed class DeferredConsoleLogTests
{
    private readonly List<string> _written = [];
    private int _builds;
    private readonly List<RecordingProvider> _providers = [];

    [Fact]
    public void EntriesBelowTheLevel_BuildNothing()
    {
        using var log = NewLog(LogLevel.Warning);

        Assert.False(log.IsEnabled(LogLevel.Information));
        Assert.True(log.IsEnabled(LogLevel.Warning));
        Assert.False(log.IsEnabled(LogLevel.None));
        Write(log, LogLevel.Information, "not written");
        Write(log, LogLevel.Debug, "not written either");

        Assert.False(log.IsBuilt);
        Assert.Equal(0, _builds);
    }

    [Fact]
    public void TheFirstEntryAboveTheLevel_BuildsTheFactoryOnce_AndEveryEntryReachesIt()
    {
        using var log = NewLog(LogLevel.Information);

        Write(log, LogLevel.Information, "first");
        Write(log, LogLevel.Warning, "second");
        Write(log, LogLevel.Trace, "below the level");

        Assert.True(log.IsBuilt);
        Assert.Equal(1, _builds);
        Assert.Equal(["worker Information first", "worker Warning second"], _written);
    }

    [Fact]
    public void Disposing_EndsTheFactoryOnlyIfItWasBuilt()
    {
        var unused = NewLog(LogLevel.Information);
        unused.Dispose();
        Assert.Equal(0, _builds);

        var used = NewLog(LogLevel.Information);
        Write(used, LogLevel.Error, "written");
        used.Dispose();
        Assert.True(Assert.Single(_providers).Disposed);
    }

    [Fact]
    public void AnEntryAfterDisposal_OnALogNeverBuilt_IsWrittenAndItsFactoryEnded()
    {
        var log = NewLog(LogLevel.Warning);
        log.Dispose();

        Write(log, LogLevel.Warning, "late");

        Assert.Equal(["worker Warning late"], _written);
        Assert.True(Assert.Single(_providers).Disposed);
    }

    [Fact]
    public void FirstEntriesFromManyThreads_BuildOneFactory_AndAllReachIt()
    {
        using var log = NewLog(LogLevel.Information);
        using var start = new Barrier(8);
        var threads = Enumerable.Range(0, 8).Select(i => new Thread(() =>
        {
            start.SignalAndWait();
            Write(log, LogLevel.Information, $"from {i}");
        })).ToList();
        threads.ForEach(thread => thread.Start());
        threads.ForEach(thread => Assert.True(thread.Join(TimeSpan.FromSeconds(30))));

        Assert.Equal(1, _builds);
        lock (_written)
        {
            Assert.Equal(Enumerable.Range(0, 8).Select(i => $"worker Information from {i}").Order(), _written.Order());
        }
    }

    private DeferredConsoleLog NewLog(LogLevel minimum) => new(
        () =>
        {
            Interlocked.Increment(ref _builds);
            var provider = new RecordingProvider(_written);
            lock (_providers)
            {
                _providers.Add(provider);
            }

            // A provider added to a factory is the factory's to dispose.
            var factory = new LoggerFactory();
            factory.AddProvider(provider);
            return factory;
        },
        "worker",
        minimum);

    // ILogger's own method, which the generated log methods call.
    private static void Write(DeferredConsoleLog log, LogLevel level, string text) => log.Log(level, default, text, null, (state, _) => state);

    private sealed class RecordingProvider(List<string> written) : ILoggerProvider
    {
        public bool Disposed { get; private set; }

        public ILogger CreateLogger(string categoryName) => new Recorder(categoryName, written);

        public void Dispose() => Disposed = true;
    }

    private sealed class Recorder(string category, List<string> written) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (written)
            {
                written.Add($"{category} {logLevel} {formatter(state, exception)}");
            }
        }
    }
}
