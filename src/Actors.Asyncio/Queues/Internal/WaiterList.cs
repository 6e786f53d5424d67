namespace Actors.Asyncio.Internal;

/// <summary>A waiter that links itself into a <see cref="WaiterList{TWaiter}"/>.</summary>
internal interface IListedWaiter<TWaiter> where TWaiter : class
{
    TWaiter? Prev { get; set; }
    TWaiter? Next { get; set; }
    bool Listed { get; set; }
}

/// <summary>The queue's getters, putters and joiners: <see cref="WaiterQueue{TWaiter}"/>'s FIFO, made intrusive (the
/// links live in the waiter) so that parking a getter or putter costs the waiter alone, not a list node too. Home loop
/// thread only.</summary>
internal sealed class WaiterList<TWaiter> where TWaiter : class, IListedWaiter<TWaiter>
{
    private TWaiter? _first, _last;

    /// <summary>Waiters linked, including cancelled ones whose removal is still on its way from another loop.</summary>
    public int Count { get; private set; }

    public TWaiter? First => _first;

    public void Add(TWaiter waiter)
    {
        waiter.Prev = _last;
        waiter.Next = null;
        if (_last != null) _last.Next = waiter;
        else _first = waiter;
        _last = waiter;
        waiter.Listed = true;
        Count++;
    }

    /// <summary>Unlinks <paramref name="waiter"/>; no effect when it is not linked (already woken or never added).</summary>
    public void Remove(TWaiter waiter)
    {
        if (!waiter.Listed) return;
        var prev = waiter.Prev;
        var next = waiter.Next;
        if (prev != null) prev.Next = next;
        else _first = next;
        if (next != null) next.Prev = prev;
        else _last = prev;
        waiter.Prev = waiter.Next = null;
        waiter.Listed = false;
        Count--;
    }

    public TWaiter? RemoveFirst()
    {
        var w = _first;
        if (w != null) Remove(w);
        return w;
    }
}
