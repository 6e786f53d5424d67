using Akka.Actor;

namespace Actors.Asyncio.Internal;

/// <summary>Creates the one <see cref="AioEventLoopRegistry"/> of an actor system.</summary>
internal sealed class AioEventLoopRegistryProvider : ExtensionIdProvider<AioEventLoopRegistry>
{
    public override AioEventLoopRegistry CreateExtension(ExtendedActorSystem system) => new(system);
}
