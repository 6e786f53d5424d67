using Akka.Actor;

namespace Actors.Asyncio.Internal;

/// <summary>Finding a published queue's host by its path: ActorSelection + Identify, retried with backoff (the host's
/// node may still be starting, or the association still forming) until the open timeout.</summary>
internal static class RemoteQueueOpen
{
    public static async Task<IActorRef> IdentifyAsync(ActorSystem system, ActorPath path, string name, TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        var selection = system.ActorSelection(path);
        var deadline = DateTime.UtcNow + timeout;
        var backoff = TimeSpan.FromMilliseconds(50);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero) throw Errors.RemoteQueueNotFound(name, path.ToString(), timeout);
            try
            {
                var identity = await selection.Ask<ActorIdentity>(new Identify(name), Min(left, TimeSpan.FromSeconds(2)), cancellationToken)
                    .ConfigureAwait(false);
                if (identity.Subject != null) return identity.Subject;
            }
            catch (AskTimeoutException) { }
            left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero) throw Errors.RemoteQueueNotFound(name, path.ToString(), timeout);
            await Task.Delay(Min(backoff, left), cancellationToken).ConfigureAwait(false);
            backoff = Min(backoff * 2, TimeSpan.FromSeconds(1));
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
