namespace Actors.Asyncio.Internal;

/// <summary>A combinator that subscribes to its children's completion: each child carries one
/// <see cref="ChildDoneWork"/> registration naming the aggregator (slot a) and itself (slot b), so subscribing costs
/// no closure and <c>child.RemoveCallback(ChildDoneWork.Instance, aggregator)</c> unsubscribes.</summary>
internal interface IAggregator
{
    /// <summary>The loop the aggregator's state belongs to.</summary>
    AioEventLoop Loop { get; }

    /// <summary>A child is done; called on <see cref="Loop"/>'s thread, on a later iteration than its completion.</summary>
    void OnChildDone(AioFuture child);
}
