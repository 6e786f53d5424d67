using Actors.Asyncio.Internal;

namespace Actors.Asyncio;

/// <summary>asyncio.Event: a flag tasks can wait for; <see cref="Set"/> wakes every waiter, <see cref="Clear"/> resets it.</summary>
/// <remarks>
/// <para>Waiters resume in FIFO order, after the callbacks already queued on their loop. <c>Set(); Clear();</c> before the
/// waiters run still wakes all of them (each wait completes normally) while <see cref="IsSet"/> reads false afterwards,
/// as in asyncio. A cancelled waiter leaves the queue without affecting the others.</para>
/// <para>Threading: the event's state belongs to its home loop, the first loop that uses it; there every member runs
/// directly. From another loop or a plain thread, <see cref="WaitAsync"/>, <see cref="Set"/> and <see cref="Clear"/>
/// are sent to the home loop as messages (in the order the calling thread sent them) and <see cref="IsSet"/> reads a
/// snapshot, so a <see cref="Set"/> sent from elsewhere is visible once the home loop has run it. An event no loop has
/// used yet can be set and cleared from plain threads; waiting needs a loop.</para>
/// </remarks>
public sealed class AioEvent : ISyncHost
{
    private static int s_ids;

    private readonly int _id = Interlocked.Increment(ref s_ids);
    private AioEventLoop? _home;
    private volatile bool _value;
    // The waiters in FIFO order, linked through the waiters themselves (no node per waiter); home loop only.
    private readonly WaiterQueue<EventWaiter> _waiters = new();

    /// <summary>asyncio.Event(): a new event, not set. It binds to the first loop that uses it.</summary>
    public AioEvent() { }

    /// <summary>asyncio's <c>Event.is_set()</c>. Off the home loop, a snapshot.</summary>
    public bool IsSet => _value;

    /// <summary>Tasks waiting (asyncio's <c>len(event._waiters)</c>). Off the home loop, a snapshot.</summary>
    public int WaiterCount => _waiters.Count;

    AioEventLoop ISyncHost.Home => _home!;

    bool ISyncHost.TracksDelivery => false;

    /// <summary>asyncio's <c>await event.wait()</c>: returns at once when the event is set, else waits until
    /// <see cref="Set"/> is called.</summary>
    /// <param name="cancellationToken">A set event returns at once even when the token is already cancelled. Cancelled
    /// while waiting, the wait ends with <see cref="OperationCanceledException"/> carrying the token; the event is not
    /// changed.</param>
    /// <exception cref="CancelledException">The awaiting task was cancelled while waiting; the event is not changed.</exception>
    /// <exception cref="InvalidOperationException">The event is not set, no loop has used it yet, and the caller runs on a
    /// thread with no event loop: waiting needs a loop.</exception>
    public Task WaitAsync(CancellationToken cancellationToken = default)
    {
        if (_value) return Task.CompletedTask;
        var current = AioEventLoop.Current;
        var home = SyncHome.Resolve(ref _home, current) ?? throw Errors.SyncNeedsLoop(this, nameof(WaitAsync));
        if (cancellationToken.IsCancellationRequested) return Task.FromException(new OperationCanceledException(cancellationToken));
        var waiter = new EventWaiter(this, current ?? home);
        waiter.Attach();
        if (!waiter.IsPending) return waiter.Task;
        if (home == current)
        {
            _waiters.Enqueue(waiter);
            waiter.Watch(cancellationToken);
        }
        else
        {
            waiter.Watch(cancellationToken);
            // A closed home loop fails the waiter instead of leaving it waiting forever.
            if (!home.PostThreadsafe(new ReadyItem(this, SyncCommand.Acquire, waiter))) waiter.Fail(Errors.LoopClosed(home));
        }
        return waiter.Task;
    }

    /// <summary>asyncio's <c>event.set()</c>: sets the flag and wakes every waiter; no effect when already set.</summary>
    /// <remarks>Off the home loop it is sent to the home loop (fire-and-forget; a closed home loop drops it).</remarks>
    public void Set() => SyncHome.Apply(this, ref _home, SyncCommand.Set);

    private void SetOnHome()
    {
        if (_value) return;
        _value = true;
        while (_waiters.Dequeue() is { } w) w.Wake();
    }

    /// <summary>asyncio's <c>event.clear()</c>: resets the flag; later waits block until the next <see cref="Set"/>.
    /// Waiters already woken still complete.</summary>
    /// <remarks>Off the home loop it is sent to the home loop (fire-and-forget).</remarks>
    public void Clear() => SyncHome.Apply(this, ref _home, SyncCommand.Clear);

    void ILoopWork.Execute(object? a, object? b)
    {
        switch (((SyncCommand)a!).Kind)
        {
            case SyncCommand.Kinds.Acquire:
                var waiter = (EventWaiter)b!;
                if (!waiter.IsPending) break;
                if (_value) waiter.Wake();
                else _waiters.Enqueue(waiter);
                break;
            case SyncCommand.Kinds.Set: SetOnHome(); break;
            case SyncCommand.Kinds.Clear: _value = false; break;
            case SyncCommand.Kinds.Unlink: _waiters.Remove((EventWaiter)b!); break;
        }
    }

    /// <summary>asyncio's repr: <c>&lt;AioEvent #1 [unset, waiters:2]&gt;</c>.</summary>
    public override string ToString()
    {
        string state = _value ? "set" : "unset";
        int n = WaiterCount;
        return n > 0 ? $"<AioEvent #{_id} [{state}, waiters:{n}]>" : $"<AioEvent #{_id} [{state}]>";
    }
}
