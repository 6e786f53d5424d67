using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Actors.Asyncio.Hosting.Tests.Hosting;

/// <summary>An ILoggerProvider that keeps every entry, so a test can assert what reached Microsoft.Extensions.Logging.</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    public ConcurrentQueue<(LogLevel Level, string Category, string Message, Exception? Exception)> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose() { }

    /// <summary>Waits (real time, a generous guard) until an entry matches; false if none did.</summary>
    public async Task<bool> WaitForAsync(Func<(LogLevel Level, string Category, string Message, Exception? Exception), bool> match, TimeSpan guard)
    {
        var deadline = DateTime.UtcNow + guard;
        while (DateTime.UtcNow < deadline)
        {
            if (Entries.Any(match)) return true;
            await Task.Delay(20);
        }
        return Entries.Any(match);
    }

    public string Dump() => string.Join("\n", Entries.Select(e => $"{e.Level} [{e.Category}] {e.Message}"));

    private sealed class Logger(CapturingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Entries.Enqueue((logLevel, category, formatter(state, exception), exception));
    }
}
