namespace Actors.Asyncio.Internal;

/// <summary>A waiter that carries its own links in a <see cref="WaiterQueue{TWaiter}"/>, so queueing it allocates no
/// node. Implemented over plain fields; touched only on the primitive's home loop thread.</summary>
/// <typeparam name="TSelf">The waiter type itself.</typeparam>
internal interface IQueuedWaiter<TSelf> where TSelf : class, IQueuedWaiter<TSelf>
{
    /// <summary>The next (younger) waiter in the queue.</summary>
    TSelf? QueueNext { get; set; }

    /// <summary>The previous (older) waiter in the queue.</summary>
    TSelf? QueuePrev { get; set; }

    /// <summary>Whether the waiter is in a queue now.</summary>
    bool Queued { get; set; }
}
