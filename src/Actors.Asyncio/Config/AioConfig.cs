using Akka.Actor;
using Akka.Configuration;

namespace Actors.Asyncio;

/// <summary>The library's reference HOCON (section <c>actors.asyncio</c>), shipped inside the assembly.</summary>
public static class AioConfig
{
    private static readonly Lazy<Config> s_default = new(() =>
        ConfigurationFactory.FromResource<AioEventLoop>("Actors.Asyncio.reference.conf"));

    /// <summary>The reference configuration: pass it to <c>ActorSystem.Create</c>, or let
    /// <see cref="AioEventLoop.Create"/> add it as a fallback (an application's own settings always win).</summary>
    public static Config Default => s_default.Value;

    /// <summary>Adds the reference configuration under the system's own, once (as Akka modules do).</summary>
    internal static void InjectInto(ActorSystem system) => system.Settings.InjectTopLevelFallback(Default);
}
