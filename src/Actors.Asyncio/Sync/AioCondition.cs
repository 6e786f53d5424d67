using System.Runtime.ExceptionServices;
using Actors.Asyncio.Internal;

namespace Actors.Asyncio;

/// <summary>asyncio.Condition: a condition variable over an <see cref="AioLock"/>. Tasks holding the lock wait for a
/// notification (<see cref="WaitAsync"/>); a task holding the lock wakes them (<see cref="Notify"/>, <see cref="NotifyAll"/>).</summary>
/// <remarks>
/// <para>Notified waiters resume in FIFO order and only after re-acquiring the lock, so after the notifier releases it.
/// Spurious wake-ups are possible (asyncio 3.13 passes the notification of a waiter that failed or was cancelled to
/// another waiter): wait in a loop, or use <see cref="WaitForAsync"/>.</para>
/// <para>Threading: the condition lives on its lock's home loop (see <see cref="AioLock"/>); tasks of other loops may use
/// it, their requests are sent there as messages.</para>
/// </remarks>
public sealed class AioCondition : ISyncHost
{
    private static int s_ids;

    private readonly int _id = Interlocked.Increment(ref s_ids);
    private readonly AioLock _lock;
    private WaiterQueue<SyncWaiter<bool>>? _waiters;

    /// <summary>asyncio.Condition(lock=None): a condition over <paramref name="lock"/>, or over a new
    /// <see cref="AioLock"/>.</summary>
    public AioCondition(AioLock? @lock = null) => _lock = @lock ?? new AioLock();

    /// <summary>The underlying lock.</summary>
    public AioLock Lock => _lock;

    /// <summary>asyncio's <c>Condition.locked()</c>: whether the underlying lock is held.</summary>
    public bool IsLocked => _lock.IsLocked;

    /// <summary>Tasks waiting for a notification. Off the home loop, a snapshot.</summary>
    public int WaiterCount => _waiters?.Count ?? 0;

    AioEventLoop ISyncHost.Home => _lock.HomeLoop!;

    bool ISyncHost.TracksDelivery => false;

    /// <summary>asyncio's <c>async with cond</c> / <c>cond.acquire()</c>: acquires the underlying lock (see
    /// <see cref="AioLock.AcquireAsync"/>).</summary>
    /// <param name="cancellationToken">As for <see cref="AioLock.AcquireAsync"/>.</param>
    public Task<AioReleaser> AcquireAsync(CancellationToken cancellationToken = default) => _lock.AcquireAsync(cancellationToken);

    /// <summary>asyncio's <c>cond.release()</c>: releases the underlying lock (see <see cref="AioLock.Release"/>).</summary>
    /// <exception cref="InvalidOperationException">The lock is not held.</exception>
    public void Release() => _lock.Release();

    /// <summary>asyncio's <c>await cond.wait()</c>: releases the lock, waits until notified, then re-acquires the lock
    /// before returning.</summary>
    /// <param name="cancellationToken">Cancelled while waiting for the notification, the wait ends with
    /// <see cref="OperationCanceledException"/> carrying the token, after the lock is re-acquired.</param>
    /// <exception cref="InvalidOperationException">The lock is not held ("Cannot wait on &lt;AioCondition …&gt;: its lock is
    /// not acquired.").</exception>
    /// <exception cref="CancelledException">The task was cancelled while waiting. The lock is re-acquired first (the
    /// re-acquisition itself cannot be cancelled), so it is held in <c>catch</c> and <c>finally</c> blocks; the original
    /// exception is rethrown.</exception>
    public async Task WaitAsync(CancellationToken cancellationToken = default)
    {
        if (!_lock.IsOwned) throw Errors.ConditionUnacquired(this, "wait on");
        // Queue before releasing, so a notification sent by the next holder cannot miss us.
        var notified = BeginWait(cancellationToken);
        _lock.Release();
        try
        {
            try
            {
                await notified;
            }
            finally
            {
                // asyncio C4: re-acquire even when cancelled; a cancellation during the re-acquire is kept and the
                // re-acquire retried, and the most recent one is rethrown.
                Exception? error = null;
                while (true)
                {
                    try
                    {
                        await _lock.AcquireAsync();
                        break;
                    }
                    catch (OperationCanceledException e) { error = e; }
                }
                if (error != null) ExceptionDispatchInfo.Throw(error);
            }
        }
        catch
        {
            // asyncio 3.13: the failure may have come after we were notified: pass a notification on (a spurious
            // wake-up is allowed, a lost one is not).
            NotifyCore(1);
            throw;
        }
    }

    /// <summary>asyncio's <c>await cond.wait_for(predicate)</c>: calls <paramref name="predicate"/> (with the lock held)
    /// and, until it returns true, waits for a notification and tries again.</summary>
    /// <param name="predicate">The condition awaited; called on the caller's task with the lock held.</param>
    /// <param name="cancellationToken">As for <see cref="WaitAsync"/>.</param>
    /// <returns>The predicate's last value: true.</returns>
    /// <exception cref="InvalidOperationException">The lock is not held when a wait is needed.</exception>
    /// <exception cref="CancelledException">The task was cancelled while waiting (the lock is held again).</exception>
    public async Task<bool> WaitForAsync(Func<bool> predicate, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        bool result = predicate();
        while (!result)
        {
            await WaitAsync(cancellationToken);
            result = predicate();
        }
        return result;
    }

    /// <summary>asyncio's <c>cond.notify(n)</c>: wakes up to <paramref name="n"/> waiters, oldest first; no effect
    /// when none waits. The woken ones resume once the caller releases the lock.</summary>
    /// <exception cref="InvalidOperationException">The lock is not held.</exception>
    public void Notify(int n = 1)
    {
        if (!_lock.IsOwned) throw Errors.ConditionUnacquired(this, "notify on");
        NotifyCore(n);
    }

    /// <summary>asyncio's <c>cond.notify_all()</c>: wakes every waiter.</summary>
    /// <exception cref="InvalidOperationException">The lock is not held.</exception>
    public void NotifyAll() => Notify(int.MaxValue);

    private Task BeginWait(CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested) return Task.FromException(new OperationCanceledException(cancellationToken));
        var current = AioEventLoop.Current;
        // The lock is held, so it is bound (a lock held from plain threads only has no home: waiting needs a loop).
        var home = _lock.HomeLoop ?? SyncHome.Resolve(ref _lock.HomeField, current) ?? throw Errors.SyncNeedsLoop(this, nameof(WaitAsync));
        var waiter = new SyncWaiter<bool>(this, current ?? home);
        waiter.Attach();
        if (!waiter.IsPending) return waiter.Task;
        waiter.Watch(cancellationToken);
        if (home == current) (_waiters ??= new()).Enqueue(waiter);
        else SyncHome.Send(home, this, SyncCommand.Acquire, waiter);
        return waiter.Task;
    }

    private void NotifyCore(int n)
    {
        var home = _lock.HomeLoop;
        if (home == null) return;   // never bound: nobody can be waiting
        if (home.IsOnLoopThread) NotifyOnHome(n);
        else home.PostThreadsafe(new ReadyItem(this, SyncCommand.Notify, n));
    }

    private void NotifyOnHome(int n)
    {
        var q = _waiters;
        if (q == null) return;
        while (n > 0 && q.Dequeue() is { } w)
            if (w.Wake(true)) n--;
    }

    void ILoopWork.Execute(object? a, object? b)
    {
        switch (((SyncCommand)a!).Kind)
        {
            case SyncCommand.Kinds.Acquire:
                var waiter = (SyncWaiter<bool>)b!;
                if (waiter.IsPending) (_waiters ??= new()).Enqueue(waiter);
                break;
            case SyncCommand.Kinds.Notify: NotifyOnHome((int)b!); break;
            case SyncCommand.Kinds.Unlink: _waiters?.Remove((SyncWaiter<bool>)b!); break;
        }
    }

    /// <summary>asyncio's repr: <c>&lt;AioCondition #1 [locked, waiters:2]&gt;</c>.</summary>
    public override string ToString()
    {
        string state = _lock.IsLocked ? "locked" : "unlocked";
        int n = WaiterCount;
        return n > 0 ? $"<AioCondition #{_id} [{state}, waiters:{n}]>" : $"<AioCondition #{_id} [{state}]>";
    }
}
