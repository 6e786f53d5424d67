using System.Runtime.CompilerServices;
using Akka.Configuration;

namespace Actors.Asyncio.Internal;

/// <summary>The <c>actors.asyncio.streams</c> section: the reader limit and the writer's water marks.</summary>
internal sealed record StreamSettings(int Limit, int HighWaterMark, int LowWaterMark)
{
    private static readonly ConditionalWeakTable<Akka.Actor.ActorSystem, StreamSettings> s_cache = new();

    /// <summary>asyncio's defaults: limit 64 KiB, high-water mark 64 KiB, low-water mark 16 KiB.</summary>
    public static readonly StreamSettings Default = new(64 * 1024, 64 * 1024, 16 * 1024);

    public static StreamSettings For(AioEventLoop loop) =>
        s_cache.GetValue(loop.System, static s => Create(s.Settings.Config));

    public static StreamSettings Create(Config config)
    {
        var c = config.GetConfig("actors.asyncio.streams");
        if (c == null || c.IsEmpty) return Default;
        int limit = Bytes(c, "limit", Default.Limit);
        int high = Bytes(c, "high-water-mark", Default.HighWaterMark);
        int low = Bytes(c, "low-water-mark", Default.LowWaterMark);
        if (limit <= 0) throw new ConfigurationException($"actors.asyncio.streams.limit [{limit}] must be greater than 0.");
        if (high < 0 || low < 0 || low > high)
            throw new ConfigurationException($"actors.asyncio.streams water marks [high {high}, low {low}] must satisfy 0 <= low-water-mark <= high-water-mark.");
        return new StreamSettings(limit, high, low);
    }

    private static int Bytes(Config c, string key, int fallback)
    {
        if (!c.HasPath(key)) return fallback;
        long? v = c.GetByteSize(key);
        if (v is null) return fallback;
        if (v > int.MaxValue) throw new ConfigurationException($"actors.asyncio.streams.{key} [{v}] must be at most {int.MaxValue} bytes.");
        return (int)v.Value;
    }
}
