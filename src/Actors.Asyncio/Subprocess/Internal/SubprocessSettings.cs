using System.Runtime.CompilerServices;
using Akka.Configuration;

namespace Actors.Asyncio.Internal;

/// <summary>The <c>actors.asyncio.subprocess</c> section: how big each pipe read is and how big the kernel's pipe.</summary>
internal sealed record SubprocessSettings(int ReadBufferSize, int PipeSize)
{
    private static readonly ConditionalWeakTable<Akka.Actor.ActorSystem, SubprocessSettings> s_cache = new();

    /// <summary>256 KiB reads from 1 MiB pipes.</summary>
    public static readonly SubprocessSettings Default = new(256 * 1024, 1024 * 1024);

    public static SubprocessSettings For(AioEventLoop loop) =>
        s_cache.GetValue(loop.System, static s => Create(s.Settings.Config));

    public static SubprocessSettings Create(Config config)
    {
        var c = config.GetConfig("actors.asyncio.subprocess");
        if (c == null || c.IsEmpty) return Default;
        int read = Bytes(c, "read-buffer-size", Default.ReadBufferSize);
        int pipe = Bytes(c, "pipe-size", Default.PipeSize);
        if (read < 1) throw new ConfigurationException($"actors.asyncio.subprocess.read-buffer-size [{read}] must be at least 1 byte.");
        if (pipe < 0) throw new ConfigurationException($"actors.asyncio.subprocess.pipe-size [{pipe}] must be 0 (the system's default) or more.");
        return new SubprocessSettings(read, pipe);
    }

    private static int Bytes(Config c, string key, int fallback)
    {
        if (!c.HasPath(key)) return fallback;
        long? v = c.GetByteSize(key);
        if (v is null) return fallback;
        if (v > int.MaxValue) throw new ConfigurationException($"actors.asyncio.subprocess.{key} [{v}] must be at most {int.MaxValue} bytes.");
        return (int)v.Value;
    }
}
