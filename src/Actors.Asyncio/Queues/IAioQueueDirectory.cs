using Akka.Actor;

namespace Actors.Asyncio;

/// <summary>Where <see cref="AioQueue{T}.OpenAsync(ActorSystem, string, Address?, CancellationToken)"/> finds a queue
/// published on another node when no node address is given (asyncio has no equivalent). Chosen by HOCON
/// <c>actors.asyncio.remote-queue.directory</c>: <c>auto</c> uses Actors.Asyncio.Cluster's DistributedPubSub directory
/// when the system's provider is <c>cluster</c> and that package is present; or an assembly-qualified type name of an
/// implementation with a public parameterless constructor.</summary>
public interface IAioQueueDirectory
{
    /// <summary>Makes <paramref name="host"/> findable under <paramref name="name"/> (called by Publish).</summary>
    /// <param name="system">The host's actor system.</param>
    /// <param name="name">The queue's name.</param>
    /// <param name="host">The host actor.</param>
    void Register(ActorSystem system, string name, IActorRef host);

    /// <summary>Withdraws what <see cref="Register"/> made findable (called by Unpublish).</summary>
    /// <param name="system">The host's actor system.</param>
    /// <param name="name">The queue's name.</param>
    /// <param name="host">The host actor.</param>
    void Unregister(ActorSystem system, string name, IActorRef host);

    /// <summary>Finds the host of the queue published as <paramref name="name"/> on any node, waiting up to
    /// <paramref name="timeout"/> for it to appear; null if it did not.</summary>
    /// <param name="system">The local actor system.</param>
    /// <param name="name">The queue's name.</param>
    /// <param name="timeout">How long to keep looking.</param>
    /// <param name="cancellationToken">Stops looking.</param>
    /// <returns>The host actor, or null.</returns>
    Task<IActorRef?> LookupAsync(ActorSystem system, string name, TimeSpan timeout, CancellationToken cancellationToken);
}
