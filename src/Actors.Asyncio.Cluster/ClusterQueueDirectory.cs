using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;

namespace Actors.Asyncio;

/// <summary>The cluster's directory of published queues (no asyncio equivalent): <see cref="AioQueue{T}.Publish"/>
/// registers the queue's host actor with Akka's DistributedPubSub mediator (<c>Put</c>), and
/// <see cref="AioQueue{T}.OpenAsync(ActorSystem, string, Address?, CancellationToken)"/> without a node address finds it
/// from any node by sending <c>Identify</c> through the mediator (<c>Send</c> to <c>/user/aio-queue-&lt;name&gt;</c>,
/// preferring a local host), retried until the mediators' gossip has reached this node. Used automatically when
/// <c>akka.actor.provider = cluster</c> and <c>actors.asyncio.remote-queue.directory = auto</c> (the default).</summary>
public sealed class ClusterQueueDirectory : IAioQueueDirectory
{
    /// <summary>DistributedPubSub's Put: the host becomes reachable by its path from every node.</summary>
    /// <param name="system">The host's actor system (provider cluster).</param>
    /// <param name="name">The queue's name.</param>
    /// <param name="host">The host actor.</param>
    public void Register(ActorSystem system, string name, IActorRef host) =>
        DistributedPubSub.Get(system).Mediator.Tell(new Put(host));

    /// <summary>DistributedPubSub's Remove of the host's path.</summary>
    /// <param name="system">The host's actor system.</param>
    /// <param name="name">The queue's name.</param>
    /// <param name="host">The host actor.</param>
    public void Unregister(ActorSystem system, string name, IActorRef host) =>
        DistributedPubSub.Get(system).Mediator.Tell(new Remove(host.Path.ToStringWithoutAddress()));

    /// <summary>Sends <c>Identify</c> to the queue's path through the mediator until a host answers or
    /// <paramref name="timeout"/> passes (null then).</summary>
    /// <param name="system">The local actor system (provider cluster).</param>
    /// <param name="name">The queue's name.</param>
    /// <param name="timeout">How long to keep asking.</param>
    /// <param name="cancellationToken">Stops asking.</param>
    /// <returns>The host actor, or null.</returns>
    public async Task<IActorRef?> LookupAsync(ActorSystem system, string name, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(system);
        var mediator = DistributedPubSub.Get(system).Mediator;
        var path = "/user/aio-queue-" + name;
        var deadline = DateTime.UtcNow + timeout;
        var backoff = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero) return null;
            try
            {
                var identity = await mediator.Ask<ActorIdentity>(new Send(path, new Identify(name), localAffinity: true),
                    left < TimeSpan.FromSeconds(1) ? left : TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
                if (identity.Subject != null) return identity.Subject;
            }
            catch (AskTimeoutException) { }
            left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero) return null;
            await Task.Delay(left < backoff ? left : backoff, cancellationToken).ConfigureAwait(false);
            backoff = backoff < TimeSpan.FromSeconds(1) ? backoff * 2 : backoff;
        }
    }
}
