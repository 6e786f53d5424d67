namespace Actors.Asyncio.Internal;

/// <summary>The child-done message every aggregator receives. A child on another loop runs its callbacks on its own
/// loop's thread: the message is forwarded to the aggregator's loop, whose thread alone touches its state.</summary>
internal sealed class ChildDoneWork : ILoopWork
{
    public static readonly ChildDoneWork Instance = new();

    public void Execute(object? a, object? b)
    {
        var aggregator = (IAggregator)a!;
        if (!aggregator.Loop.IsOnLoopThread)
        {
            aggregator.Loop.PostThreadsafe(new ReadyItem(this, a, b));
            return;
        }
        aggregator.OnChildDone((AioFuture)b!);
    }

    /// <summary>Subscribes <paramref name="aggregator"/> to <paramref name="child"/>'s completion.</summary>
    public static void Subscribe(AioFuture child, IAggregator aggregator) =>
        child.AddCallback(new ReadyItem(Instance, aggregator, child));

    /// <summary>Withdraws a subscription of a child still pending. A child of another loop keeps it (its callback
    /// list belongs to its own thread); the aggregator ignores messages that come after it is done.</summary>
    public static void Unsubscribe(AioFuture child, IAggregator aggregator)
    {
        if (!child.IsDone && child.Loop.IsOnLoopThread) child.RemoveCallback(Instance, aggregator);
    }

    public override string ToString() => "<combinator child done>";
}
