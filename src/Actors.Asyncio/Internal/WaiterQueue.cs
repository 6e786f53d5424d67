namespace Actors.Asyncio.Internal;

/// <summary>
/// The FIFO of waiters every primitive keeps (asyncio's <c>_waiters</c> deque; Nito's <c>IAsyncWaitQueue</c>): a lock's
/// acquirers, an event's waiters, a queue's getters and putters. Owned by the primitive's home loop thread.
/// </summary>
/// <remarks>
/// A waiter cancelled while queued removes itself (<see cref="Remove"/>, O(1)). Waking goes through
/// <see cref="WakeFirst{TArg}"/>, which skips waiters that are no longer pending (cancelled meanwhile) so a wake-up is
/// never spent on a cancelled waiter: it passes on to the next one. A waiter woken and then cancelled before it
/// resumed gives its wake-up back through <see cref="LoopWaiter{T}"/>'s refusal hook, and the primitive wakes the next.
/// </remarks>
internal sealed class WaiterQueue<TWaiter> where TWaiter : class
{
    private readonly LinkedList<TWaiter> _list = new();

    /// <summary>Waiters queued, including any cancelled but not yet removed.</summary>
    public int Count => _list.Count;

    /// <summary>The oldest waiter, or null.</summary>
    public TWaiter? First => _list.First?.Value;

    /// <summary>Appends <paramref name="waiter"/>; keep the node to remove it on cancellation.</summary>
    public LinkedListNode<TWaiter> Enqueue(TWaiter waiter) => _list.AddLast(waiter);

    /// <summary>Puts a waiter back at the head (a woken waiter whose wake-up was refused keeps its place).</summary>
    public LinkedListNode<TWaiter> EnqueueFirst(TWaiter waiter) => _list.AddFirst(waiter);

    /// <summary>Removes a queued waiter; no effect when it was already dequeued.</summary>
    public void Remove(LinkedListNode<TWaiter>? node)
    {
        if (node != null && node.List == _list) _list.Remove(node);
    }

    /// <summary>Removes and returns the oldest waiter, or null.</summary>
    public TWaiter? Dequeue()
    {
        var node = _list.First;
        if (node == null) return null;
        _list.RemoveFirst();
        return node.Value;
    }

    /// <summary>Dequeues waiters oldest first until <paramref name="tryWake"/> accepts one (returns true); waiters it
    /// rejects (no longer pending) are dropped. Returns false when none accepted.</summary>
    public bool WakeFirst<TArg>(Func<TWaiter, TArg, bool> tryWake, TArg arg)
    {
        while (Dequeue() is { } waiter)
            if (tryWake(waiter, arg)) return true;
        return false;
    }

    /// <summary>Removes every waiter and returns them oldest first (notify_all, shutdown, reset).</summary>
    public List<TWaiter> DrainAll()
    {
        var all = new List<TWaiter>(_list);
        _list.Clear();
        return all;
    }
}
