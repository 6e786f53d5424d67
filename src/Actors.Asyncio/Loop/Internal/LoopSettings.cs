using Akka.Configuration;

namespace Actors.Asyncio.Internal;

/// <summary>A loop's settings: <c>actors.asyncio.loops.&lt;name&gt;</c> over <c>actors.asyncio.loop-dispatcher</c>
/// over <c>actors.asyncio</c>, then the <see cref="RunOptions"/> given in code.</summary>
internal sealed record LoopSettings(
    bool Debug,
    TimeSpan SlowCallbackDuration,
    TimeSpan ShutdownTimeout,
    int Throughput,
    int ExecutorMaxWorkers,
    TimeSpan ExecutorIdleTimeout)
{
    public static LoopSettings Create(Config config, string loopName, RunOptions? options)
    {
        var root = config.GetConfig("actors.asyncio") ?? Config.Empty;
        var perLoop = root.GetConfig("loops." + QuoteKey(loopName)) ?? Config.Empty;
        var template = root.GetConfig("loop-dispatcher") ?? Config.Empty;
        var merged = perLoop.WithFallback(template).WithFallback(root);
        var workers = merged.GetString("executor.max-workers", "auto");
        int maxWorkers = workers == "auto" || string.IsNullOrEmpty(workers)
            ? Math.Min(32, Environment.ProcessorCount + 4)
            : int.Parse(workers, System.Globalization.CultureInfo.InvariantCulture);
        if (maxWorkers < 1)
            throw new ConfigurationException($"actors.asyncio.executor.max-workers [{maxWorkers}] must be at least 1 (or \"auto\").");
        return new LoopSettings(
            options?.Debug ?? merged.GetBoolean("debug", false),
            options?.SlowCallbackDuration ?? merged.GetTimeSpan("slow-callback-duration", TimeSpan.FromMilliseconds(100)),
            merged.GetTimeSpan("shutdown-timeout", TimeSpan.FromSeconds(5)),
            Math.Max(1, merged.GetInt("throughput", 100)),
            maxWorkers,
            merged.GetTimeSpan("executor.idle-timeout", TimeSpan.FromSeconds(60)));
    }

    private static string QuoteKey(string name) =>
        name.All(c => char.IsLetterOrDigit(c) || c is '-' or '_') ? name : "\"" + name.Replace("\"", "\\\"") + "\"";
}
