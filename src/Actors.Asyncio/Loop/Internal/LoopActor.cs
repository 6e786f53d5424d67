using Akka.Actor;

namespace Actors.Asyncio.Internal;

/// <summary>The loop's own actor, on the loop dispatcher: the anchor that keeps the dispatcher attached for the loop's
/// whole life, and the name its tasks' refs are filed under (<c>/temp/aio-loop-x/task-n</c>, see TaskRefDirectory). Tasks' refs deliver straight into the loop's ready queue.</summary>
internal sealed class LoopActor : UntypedActor
{
    protected override void OnReceive(object message) => Unhandled(message);
}
