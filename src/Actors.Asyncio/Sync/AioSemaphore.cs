using Actors.Asyncio.Internal;

namespace Actors.Asyncio;

/// <summary>asyncio.Semaphore: a counter of permits; <see cref="AcquireAsync"/> takes one (waiting while none is left),
/// <see cref="Release"/> gives one back. A plain semaphore may be released above its initial value.</summary>
/// <remarks>
/// <para>Acquisition is first-come first-served: while any task is queued (or was woken and has not resumed yet), a new
/// acquirer queues behind it even if permits are free (asyncio 3.13). A permit handed to a waiter cancelled before it
/// resumed returns to the semaphore and goes to the next waiter: no permit is lost or duplicated.</para>
/// <para>Threading: as <see cref="AioLock"/>: the state belongs to the home loop (the first loop that uses the
/// semaphore); calls from other loops or plain threads are sent there as messages; <see cref="IsLocked"/> and
/// <see cref="Value"/> are snapshots off the home loop.</para>
/// </remarks>
public class AioSemaphore : ISyncResource
{
    private static int s_ids;

    private readonly int _id = Interlocked.Increment(ref s_ids);
    private readonly int _bound;
    private ResourceSlots _slots;   // home loop, waiter FIFO, cached acquire task: what SyncHome routes with
    private volatile int _value;
    private volatile int _woken;   // permits handed to woken waiters that have not resumed yet

    /// <summary>asyncio.Semaphore(value): a semaphore with <paramref name="value"/> permits (default 1).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> is negative.</exception>
    public AioSemaphore(int value = 1) : this(value, int.MaxValue) { }

    private protected AioSemaphore(int value, int bound)
    {
        if (value < 0) throw Errors.SemaphoreNegative(nameof(value), value);
        _value = value;
        _bound = bound;
    }

    /// <summary>The permits left (asyncio's <c>_value</c>). Off the home loop, a snapshot.</summary>
    public int Value => _value;

    /// <summary>asyncio's <c>Semaphore.locked()</c>: true when <see cref="AcquireAsync"/> would wait, i.e. no permit is
    /// left or a task is queued (or woken and not resumed yet). Off the home loop, a snapshot.</summary>
    public bool IsLocked => _value == 0 || _woken > 0 || WaiterCount > 0;

    /// <summary>Tasks queued for a permit. Off the home loop, a snapshot.</summary>
    public int WaiterCount => _slots.Waiters?.Count ?? 0;

    AioEventLoop ISyncHost.Home => _slots.Home!;

    bool ISyncHost.TracksDelivery => true;

    /// <summary>asyncio's <c>await sem.acquire()</c>: takes a permit, waiting (FIFO) while none is free or earlier
    /// acquirers are queued. Dispose the result (or call <see cref="Release"/>) to give it back.</summary>
    /// <param name="cancellationToken">A free permit is taken even when it is already cancelled. Cancelled while waiting,
    /// the wait ends with <see cref="OperationCanceledException"/> carrying the token.</param>
    /// <returns>A completed task when a permit was free (no suspension, no allocation), else a task completing on the
    /// caller's loop once a permit is handed over.</returns>
    /// <exception cref="CancelledException">The awaiting task was cancelled while waiting: no permit is taken (one just
    /// handed over goes to the next waiter).</exception>
    /// <exception cref="InvalidOperationException">No permit is free, no loop has used the semaphore yet, and the caller
    /// runs on a thread with no event loop: waiting needs a loop.</exception>
    public Task<AioReleaser> AcquireAsync(CancellationToken cancellationToken = default) => SyncHome.Acquire(this, cancellationToken);

    /// <summary>asyncio's <c>sem.release()</c>: gives a permit back and hands it to the oldest waiter still waiting.</summary>
    /// <exception cref="InvalidOperationException">An <see cref="AioBoundedSemaphore"/> would go above its initial value.
    /// Off the home loop the check uses the value known locally; an over-release found only when the message reaches the
    /// home loop is reported to that loop's exception handler.</exception>
    public void Release() => SyncHome.Release(this);

    ref ResourceSlots ISyncResource.Slots => ref _slots;

    bool ISyncResource.TryTakeUnbound()
    {
        if (_value == 0) return false;
        _value--;
        return true;
    }

    bool ISyncResource.TryTakeOnHome()
    {
        if (Busy()) return false;
        _value--;
        return true;
    }

    bool ISyncResource.TryGrant(SyncWaiter<AioReleaser> waiter)
    {
        if (Busy()) return false;
        _value--;
        _woken++;
        if (!waiter.Wake(new AioReleaser(this))) { _value++; _woken--; }
        return true;
    }

    void ISyncResource.ReleaseUnbound()
    {
        if (_value >= _bound) throw Errors.OverReleased(this, _bound);
        _value++;
    }

    InvalidOperationException? ISyncResource.ReleaseOnHome()
    {
        if (_value >= _bound) return Errors.OverReleased(this, _bound);
        _value++;
        WakeNext();
        return null;
    }

    void ISyncResource.CheckReleaseRemote()
    {
        if (_value >= _bound) throw Errors.OverReleased(this, _bound);
    }

    /// <summary>asyncio's <c>locked()</c> on the home loop, dropping cancelled waiters whose removal is on its way.</summary>
    private bool Busy() => _value == 0 || _woken > 0 || SyncHome.HasLiveWaiters(_slots.Waiters);

    /// <summary>asyncio's <c>_wake_up_next</c>: hands a permit to the oldest waiter still pending.</summary>
    private bool WakeNext()
    {
        var q = _slots.Waiters;
        if (q == null || _value == 0) return false;
        var releaser = new AioReleaser(this);
        while (q.Dequeue() is { } w)
        {
            // Counted before the wake-up: a waiter on another loop may resume and release before this thread would
            // get to update the counts.
            _value--;
            _woken++;
            if (w.Wake(releaser)) return true;
            _value++;
            _woken--;
        }
        return false;
    }

    /// <summary>asyncio 3.13's acquire <c>finally</c>: wake as many waiters as there are free permits.</summary>
    private void WakeWhileFree()
    {
        while (_value > 0 && WakeNext()) { }
    }

    void ISyncResource.OnUnlinked() => WakeWhileFree();

    void ISyncResource.OnDelivered()
    {
        _woken--;
        WakeWhileFree();
    }

    void ISyncResource.OnRefused()
    {
        // Woken then cancelled before resuming: the permit returns and goes to the next waiter (S4).
        _woken--;
        _value++;
        WakeWhileFree();
    }

    void ILoopWork.Execute(object? a, object? b) => SyncHome.Execute(this, (SyncCommand)a!, b);

    /// <summary>asyncio's repr: <c>&lt;AioSemaphore #2 [unlocked, value:3]&gt;</c> or <c>[locked, waiters:1]</c>.</summary>
    public override string ToString()
    {
        string state = IsLocked ? "locked" : $"unlocked, value:{_value}";
        int n = WaiterCount;
        string kind = GetType().Name;
        return n > 0 ? $"<{kind} #{_id} [{state}, waiters:{n}]>" : $"<{kind} #{_id} [{state}]>";
    }
}
