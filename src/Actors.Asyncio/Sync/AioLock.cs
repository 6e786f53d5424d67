using Actors.Asyncio.Internal;

namespace Actors.Asyncio;

/// <summary>asyncio.Lock: a mutual-exclusion lock for tasks, not owned by the task that acquired it and not reentrant.</summary>
/// <remarks>
/// <para>Acquisition is first-come first-served: <see cref="Release"/> hands the lock to the oldest waiter, and a new
/// acquirer never barges past a waiter that was woken but has not resumed yet (in that window <see cref="IsLocked"/>
/// reads false, as asyncio's <c>locked()</c> does). A waiter cancelled while queued leaves the queue; one cancelled
/// after being woken but before resuming passes the lock to the next waiter, so the lock is never held twice nor
/// left stuck.</para>
/// <para>Threading: the lock's state belongs to its <em>home loop</em>, the first loop that uses it. On that loop's
/// thread every member runs directly, without messages or locks. From another loop's thread, or a plain thread, the
/// operation is sent to the home loop as a message and the caller resumes on its own loop, so tasks of several loops
/// exclude each other. A lock no loop has used yet can be acquired (uncontended) and released from plain threads, but
/// waiting needs a loop: see <see cref="AcquireAsync"/>.</para>
/// </remarks>
/// <example><code>
/// // asyncio:  async with lock: await save()
/// using (await aioLock.AcquireAsync()) { await SaveAsync(); }
/// </code></example>
public sealed class AioLock : ISyncResource
{
    private const int Unlocked = 0, Locked = 1, Granted = 2;   // Granted: handed to a woken waiter that has not resumed
    private static int s_ids;

    private readonly int _id = Interlocked.Increment(ref s_ids);
    private ResourceSlots _slots;   // home loop, waiter FIFO, cached acquire task: what SyncHome routes with
    private volatile int _state;

    /// <summary>asyncio.Lock(): a new, unlocked lock. It binds to the first loop that uses it.</summary>
    public AioLock() { }

    /// <summary>asyncio's <c>Lock.locked()</c>: true while a task holds the lock. False in the short window after
    /// <see cref="Release"/> handed it to a waiter that has not resumed yet. Off the home loop, a snapshot.</summary>
    public bool IsLocked => _state == Locked;

    /// <summary>Tasks waiting to acquire (asyncio's <c>len(lock._waiters)</c>). Off the home loop, a snapshot.</summary>
    public int WaiterCount => _slots.Waiters?.Count ?? 0;

    AioEventLoop ISyncHost.Home => _slots.Home!;

    bool ISyncHost.TracksDelivery => true;

    /// <summary>The home loop, or null while no loop has used the lock.</summary>
    internal AioEventLoop? HomeLoop => Volatile.Read(ref _slots.Home);

    /// <summary>Binding slot shared with a condition built on this lock.</summary>
    internal ref AioEventLoop? HomeField => ref _slots.Home;

    /// <summary>Held or granted to a woken waiter: what a release or a condition's wait may count on.</summary>
    internal bool IsOwned => _state != Unlocked;

    /// <summary>asyncio's <c>await lock.acquire()</c>: waits until the lock is free and no earlier waiter is queued, then
    /// holds it. Dispose the result (or call <see cref="Release"/>) to release.</summary>
    /// <param name="cancellationToken">A free lock is taken even when it is already cancelled (nothing to wait for).
    /// Cancelled while waiting, the wait ends with <see cref="OperationCanceledException"/> carrying the token and the
    /// waiter leaves the queue.</param>
    /// <returns>A completed task when the lock was free (no suspension, no allocation), else a task that completes on
    /// the caller's loop once the lock is handed over.</returns>
    /// <exception cref="CancelledException">The awaiting task was cancelled while waiting: the lock is not held (and if
    /// it had just been handed over, it passes on to the next waiter).</exception>
    /// <exception cref="InvalidOperationException">The lock is held, no loop has used it yet, and the caller runs on a
    /// thread with no event loop: waiting needs a loop (use the lock first from a task).</exception>
    public Task<AioReleaser> AcquireAsync(CancellationToken cancellationToken = default) => SyncHome.Acquire(this, cancellationToken);

    /// <summary>asyncio's <c>lock.release()</c>: frees the lock and hands it to the oldest waiter that is still waiting.
    /// Any task may release it (the lock has no owner).</summary>
    /// <exception cref="InvalidOperationException">The lock is not held ("Cannot release &lt;AioLock #3 [unlocked]&gt;: it is
    /// not acquired."). Off the home loop the check uses the state known locally: a release that looks valid there but
    /// finds the lock free when it reaches the home loop (another task released it meanwhile) is reported to the home
    /// loop's exception handler instead.</exception>
    public void Release() => SyncHome.Release(this);

    ref ResourceSlots ISyncResource.Slots => ref _slots;

    bool ISyncResource.TryTakeUnbound()
    {
        if (_state != Unlocked) return false;
        _state = Locked;
        return true;
    }

    bool ISyncResource.TryTakeOnHome()
    {
        if (_state != Unlocked || SyncHome.HasLiveWaiters(_slots.Waiters)) return false;
        _state = Locked;
        return true;
    }

    bool ISyncResource.TryGrant(SyncWaiter<AioReleaser> waiter)
    {
        if (_state != Unlocked || SyncHome.HasLiveWaiters(_slots.Waiters)) return false;
        _state = Granted;   // before the wake-up, as in HandOver
        if (!waiter.Wake(new AioReleaser(this))) _state = Unlocked;
        return true;
    }

    void ISyncResource.ReleaseUnbound()
    {
        if (_state != Locked) throw Errors.NotAcquired(this);
        _state = Unlocked;
    }

    InvalidOperationException? ISyncResource.ReleaseOnHome()
    {
        if (_state != Locked) return Errors.NotAcquired(this);
        HandOver();
        return null;
    }

    // Granted counts as held here: the woken waiter may release before its Delivered reaches the home loop.
    void ISyncResource.CheckReleaseRemote()
    {
        if (_state == Unlocked) throw Errors.NotAcquired(this);
    }

    /// <summary>Gives the lock to the oldest waiter still pending, or frees it (asyncio's <c>_wake_up_first</c>).</summary>
    private void HandOver()
    {
        var q = _slots.Waiters;
        if (q != null)
        {
            var releaser = new AioReleaser(this);
            while (q.Dequeue() is { } w)
            {
                // Granted before the wake-up: a waiter on another loop may resume and release before this thread
                // would get to write the state, and must find the lock held.
                _state = Granted;
                if (w.Wake(releaser)) return;
            }
        }
        _state = Unlocked;
    }

    void ISyncResource.OnUnlinked()
    {
        if (_state == Unlocked) HandOver();   // asyncio: a cancelled acquirer makes sure the head waiter runs
    }

    void ISyncResource.OnDelivered()
    {
        if (_state == Granted) _state = Locked;
    }

    void ISyncResource.OnRefused()
    {
        if (_state == Granted) HandOver();   // woken then cancelled before resuming: pass the lock on (L5)
    }

    void ILoopWork.Execute(object? a, object? b) => SyncHome.Execute(this, (SyncCommand)a!, b);

    /// <summary>asyncio's repr: <c>&lt;AioLock #3 [locked, waiters:2]&gt;</c>.</summary>
    public override string ToString()
    {
        string state = _state == Locked ? "locked" : "unlocked";
        int n = WaiterCount;
        return n > 0 ? $"<AioLock #{_id} [{state}, waiters:{n}]>" : $"<AioLock #{_id} [{state}]>";
    }
}
