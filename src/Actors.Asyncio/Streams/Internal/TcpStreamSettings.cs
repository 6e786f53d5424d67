using System.Runtime.CompilerServices;
using Akka.Actor;
using Akka.IO;

namespace Actors.Asyncio.Internal;

/// <summary>The Akka.IO settings our Bind and Connect commands carry (<c>Tcp.Bind.TcpSettings</c>): the system's
/// <c>akka.io.tcp</c> with the frame size of <c>actors.asyncio.streams.tcp</c>, so stream throughput does not depend
/// on whether the application's config or Akka's 4 KiB default sits on top.</summary>
internal static class TcpStreamSettings
{
    private static readonly ConditionalWeakTable<ActorSystem, TcpSettings> s_cache = new();

    public static TcpSettings For(ActorSystem system) => s_cache.GetValue(system, static s =>
    {
        var settings = TcpSettings.Create(s);
        int frame = settings.MaxFrameSizeBytes;
        var c = s.Settings.Config.GetConfig("actors.asyncio.streams.tcp");
        if (c != null && !c.IsEmpty && c.HasPath("maximum-frame-size"))
        {
            long configured = c.GetByteSize("maximum-frame-size") ?? frame;
            if (configured < 1024 || configured > int.MaxValue)
                throw new Akka.Configuration.ConfigurationException($"actors.asyncio.streams.tcp.maximum-frame-size [{configured}] must be between 1 KiB and 2 GiB.");
            frame = (int)configured;
        }
        // Akka.IO retries a failed connect finish-connect-retries times and then reports no socket error; fail at
        // once and let ConnectDiagnosis find the error.
        return settings with { MaxFrameSizeBytes = frame, FinishConnectRetries = 0 };
    });

    private static readonly ConditionalWeakTable<ActorSystem, object> s_acceptedOnLoop = new();

    /// <summary><c>actors.asyncio.streams.tcp.accepted-connections-on-loop</c>, and whether this Akka.NET build allows it.</summary>
    public static bool AcceptedOnLoop(ActorSystem system) => (bool)s_acceptedOnLoop.GetValue(system, static s =>
    {
        var c = s.Settings.Config.GetConfig("actors.asyncio.streams.tcp");
        bool on = c == null || c.IsEmpty || !c.HasPath("accepted-connections-on-loop") || c.GetBoolean("accepted-connections-on-loop");
        return on && LoopTcpConnections.IsSupported;
    });
}
