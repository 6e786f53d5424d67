namespace Actors.Asyncio.Internal;

/// <summary>
/// The FIFO of waiters every primitive keeps (asyncio's <c>_waiters</c> deque; Nito's <c>IAsyncWaitQueue</c>): a lock's
/// acquirers, an event's or a condition's waiters. Owned by the primitive's home loop thread.
/// </summary>
/// <remarks>
/// Intrusive: the links live in the waiter itself (<see cref="IQueuedWaiter{TSelf}"/>: <see cref="SyncWaiter{T}"/>, <see cref="EventWaiter"/>), so queueing allocates nothing (a
/// <see cref="LinkedList{T}"/> node was 48 B per waiting task). A waiter cancelled while queued removes itself
/// (<see cref="Remove"/>, O(1)). Waking goes through <see cref="WakeFirst{TArg}"/>, which skips waiters that are no
/// longer pending (cancelled meanwhile) so a wake-up is never spent on a cancelled waiter: it passes on to the next one.
/// A waiter woken and then cancelled before it resumed gives its wake-up back through <see cref="LoopWaiter{T}"/>'s
/// refusal hook, and the primitive wakes the next.
/// </remarks>
internal sealed class WaiterQueue<TWaiter> where TWaiter : class, IQueuedWaiter<TWaiter>
{
    private TWaiter? _head, _tail;
    // Written on the home loop only; read from any thread (diagnostics such as AioEvent.WaiterCount).
    private int _count;

    /// <summary>Waiters queued, including any cancelled but not yet removed.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>The oldest waiter, or null.</summary>
    public TWaiter? First => _head;

    /// <summary>Appends <paramref name="waiter"/> (which must not be queued already).</summary>
    public void Enqueue(TWaiter waiter)
    {
        waiter.QueuePrev = _tail;
        waiter.QueueNext = null;
        if (_tail == null) _head = waiter;
        else _tail.QueueNext = waiter;
        _tail = waiter;
        waiter.Queued = true;
        Volatile.Write(ref _count, _count + 1);
    }

    /// <summary>Puts a waiter back at the head (a woken waiter whose wake-up was refused keeps its place).</summary>
    public void EnqueueFirst(TWaiter waiter)
    {
        waiter.QueuePrev = null;
        waiter.QueueNext = _head;
        if (_head == null) _tail = waiter;
        else _head.QueuePrev = waiter;
        _head = waiter;
        waiter.Queued = true;
        Volatile.Write(ref _count, _count + 1);
    }

    /// <summary>Removes a queued waiter; no effect when it was already dequeued.</summary>
    public void Remove(TWaiter waiter)
    {
        if (!waiter.Queued) return;
        var prev = waiter.QueuePrev;
        var next = waiter.QueueNext;
        if (prev == null) _head = next;
        else prev.QueueNext = next;
        if (next == null) _tail = prev;
        else next.QueuePrev = prev;
        waiter.QueuePrev = waiter.QueueNext = null;
        waiter.Queued = false;
        Volatile.Write(ref _count, _count - 1);
    }

    /// <summary>Removes and returns the oldest waiter, or null.</summary>
    public TWaiter? Dequeue()
    {
        var waiter = _head;
        if (waiter != null) Remove(waiter);
        return waiter;
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
        var all = new List<TWaiter>(_count);
        while (Dequeue() is { } waiter) all.Add(waiter);
        return all;
    }
}
