using Akka.Actor;

namespace Actors.Asyncio.Internal;

/// <summary>The loop's own actor, on the loop dispatcher: the parent path of its tasks' refs, and the anchor that keeps
/// the dispatcher attached for the loop's whole life. Tasks' refs deliver straight into the loop's ready queue.</summary>
internal sealed class LoopActor : UntypedActor
{
    protected override void OnReceive(object message) => Unhandled(message);
}
