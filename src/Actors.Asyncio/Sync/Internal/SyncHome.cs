using System.Runtime.CompilerServices;

namespace Actors.Asyncio.Internal;

/// <summary>The home-loop binding every synchronisation primitive shares (asyncio's <c>_LoopBoundMixin</c>): a primitive's
/// state belongs to one loop, like an actor's, and is touched only on that loop's thread.</summary>
internal static class SyncHome
{
    /// <summary>Process-wide fallback guard: serialises binding, and the non-waiting operations called from plain
    /// threads on a primitive no loop has used yet (no waiter can exist then, since waiting binds).</summary>
    public static readonly object Gate = new();

    /// <summary>The home loop, binding <paramref name="home"/> to <paramref name="current"/> on first use from a loop
    /// thread; null while unbound and called from a thread without a loop.</summary>
    public static AioEventLoop? Resolve(ref AioEventLoop? home, AioEventLoop? current)
    {
        var h = Volatile.Read(ref home);
        if (h != null || current == null) return h;
        lock (Gate) return home ??= current;
    }

    /// <summary>Runs <paramref name="command"/> on the home loop: inline when already on its thread (asyncio's
    /// synchronous bookkeeping), else as a message. A closed home loop drops it.</summary>
    public static void Route(AioEventLoop home, ILoopWork host, SyncCommand command, object? arg)
    {
        if (home.IsOnLoopThread) host.Execute(command, arg);
        else home.PostThreadsafe(new ReadyItem(host, command, arg));
    }

    /// <summary>asyncio's <c>acquire()</c> for a lock or semaphore: on the home loop, takes a free unit at once (a cached
    /// completed task: no suspension, no allocation) or parks in the FIFO; anywhere else, see
    /// <see cref="AcquireElsewhere"/>.</summary>
    /// <remarks>Inlined so that, in the primitive's own <c>AcquireAsync</c>, <typeparamref name="T"/> is exact and the
    /// JIT can devirtualise the fast path's interface calls.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Task<AioReleaser> Acquire<T>(T host, CancellationToken cancellationToken) where T : class, ISyncResource
    {
        var current = AioEventLoop.Current;
        ref var slots = ref host.Slots;
        var home = slots.Home;
        if (home == null || home != current) return AcquireElsewhere(host, current, cancellationToken);
        if (host.TryTakeOnHome()) return slots.Acquired ??= Task.FromResult(new AioReleaser(host));
        return ParkOnHome(host, home, ref slots.Waiters, cancellationToken);
    }

    /// <summary>An acquire off the home loop: binds an unbound primitive to a caller's loop; a primitive no loop has used
    /// yet is taken under <see cref="Gate"/> from a plain thread (it cannot wait there); otherwise the home loop is asked.</summary>
    private static Task<AioReleaser> AcquireElsewhere(ISyncResource host, AioEventLoop? current, CancellationToken cancellationToken)
    {
        ref var slots = ref host.Slots;
        var home = Resolve(ref slots.Home, current);
        if (home == null)
        {
            lock (Gate)
            {
                if (slots.Home == null)
                {
                    if (!host.TryTakeUnbound()) throw Errors.SyncNeedsLoop(host, "AcquireAsync");
                    return slots.Acquired ??= Task.FromResult(new AioReleaser(host));
                }
            }
            home = slots.Home;
        }
        if (home == current) return Acquire(host, cancellationToken);
        // Another loop's task (or a plain thread): ask the home loop; the reply is a wake-up delivered on our loop.
        return AcquireRemotely(host, home, current, cancellationToken);
    }

    /// <summary>asyncio's <c>release()</c> for a lock or semaphore: runs on the home loop directly, under
    /// <see cref="Gate"/> while unbound, else is checked against the state known locally and sent to the home loop.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Release<T>(T host) where T : class, ISyncResource
    {
        var current = AioEventLoop.Current;
        var home = host.Slots.Home;
        if (home != null && home == current) { if (host.ReleaseOnHome() is { } error) throw error; return; }
        ReleaseElsewhere(host, current);
    }

    private static void ReleaseElsewhere(ISyncResource host, AioEventLoop? current)
    {
        ref var slots = ref host.Slots;
        var home = Resolve(ref slots.Home, current);
        if (home == null)
        {
            lock (Gate)
            {
                if (slots.Home == null) { host.ReleaseUnbound(); return; }
            }
            home = slots.Home;
        }
        if (home == current) { if (host.ReleaseOnHome() is { } error) throw error; return; }
        host.CheckReleaseRemote();
        home.PostThreadsafe(new ReadyItem(host, SyncCommand.Release, null));
    }

    /// <summary>A lock's or semaphore's messages and waiter hooks, on the home loop: the requests are handled here, the
    /// state changes by the primitive's steps.</summary>
    public static void Execute(ISyncResource host, SyncCommand command, object? arg)
    {
        switch (command.Kind)
        {
            case SyncCommand.Kinds.Acquire:
            case SyncCommand.Kinds.AcquireIfFree:
                Admit(host, command, arg);
                break;
            case SyncCommand.Kinds.Release:
                // Checked where it was sent, but another release may have got here first: nobody is left to throw to.
                if (host.ReleaseOnHome() is { } error) host.Slots.Home!.ReportException("Exception in a release sent to " + host, error, host);
                break;
            case SyncCommand.Kinds.Unlink:
                host.Slots.Waiters?.Remove((SyncWaiter<AioReleaser>)arg!);
                host.OnUnlinked();
                break;
            case SyncCommand.Kinds.Delivered:
                host.OnDelivered();
                break;
            case SyncCommand.Kinds.Refused:
                host.OnRefused();
                break;
        }
    }

    /// <summary>asyncio's fast-path test: whether a waiter that has not been cancelled is queued (cancelled ones whose
    /// removal is still on its way are dropped here). Home loop only.</summary>
    public static bool HasLiveWaiters(WaiterQueue<SyncWaiter<AioReleaser>>? waiters)
    {
        if (waiters == null) return false;
        while (waiters.First is { IsPending: false }) waiters.Dequeue();
        return waiters.Count > 0;
    }

    /// <summary>On the home loop, an <see cref="SyncCommand.Acquire"/> or <see cref="SyncCommand.AcquireIfFree"/> sent by
    /// <see cref="AcquireRemotely"/>: grant at once when free, else queue (or fail when its token was already cancelled).</summary>
    private static void Admit(ISyncResource host, SyncCommand command, object? arg)
    {
        SyncWaiter<AioReleaser> waiter;
        CancellationToken cancelled = default;
        if (command.Kind == SyncCommand.Kinds.AcquireIfFree)
        {
            var request = (CancelledRequest)arg!;
            waiter = (SyncWaiter<AioReleaser>)request.Waiter;
            cancelled = request.Token;
        }
        else waiter = (SyncWaiter<AioReleaser>)arg!;
        if (!waiter.IsPending || host.TryGrant(waiter)) return;
        if (cancelled.IsCancellationRequested) { waiter.Fail(new OperationCanceledException(cancelled)); return; }
        (host.Slots.Waiters ??= new()).Enqueue(waiter);
    }

    /// <summary>A command that never waits nor fails (an event's set and clear): binds to the caller's loop; runs under
    /// <see cref="Gate"/> while no loop has used the primitive (nobody can be waiting then), inline on the home loop,
    /// else as a message (fire-and-forget; a closed home loop drops it).</summary>
    public static void Apply(ILoopWork host, ref AioEventLoop? home, SyncCommand command)
    {
        var current = AioEventLoop.Current;
        var h = Resolve(ref home, current);
        if (h == null)
        {
            lock (Gate)
            {
                if (home == null) { host.Execute(command, null); return; }
            }
            h = home;
        }
        if (h == current) host.Execute(command, null);
        else h.PostThreadsafe(new ReadyItem(host, command, null));
    }

    /// <summary>An acquire on the home loop that must wait (locks, semaphores): a token already cancelled fails at once;
    /// otherwise a waiter joins the FIFO, unless the task owed a cancellation that <see cref="LoopWaiter{T}.Attach"/>
    /// just delivered.</summary>
    public static Task<AioReleaser> ParkOnHome(ISyncHost host, AioEventLoop home, ref WaiterQueue<SyncWaiter<AioReleaser>>? waiters,
        CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested) return Task.FromException<AioReleaser>(new OperationCanceledException(cancellationToken));
        var waiter = new SyncWaiter<AioReleaser>(host, home);
        waiter.Attach();
        if (!waiter.IsPending) return waiter.Task;
        (waiters ??= new()).Enqueue(waiter);
        waiter.Watch(cancellationToken);
        return waiter.Task;
    }

    /// <summary>An acquire from another loop's task or a plain thread (locks, semaphores): a waiter on the caller's loop
    /// (the home loop for a plain thread) and an Acquire message to the home loop; the grant comes back as its wake-up.
    /// A token already cancelled still gets a free resource (AcquireIfFree), as asyncio and Nito take it.</summary>
    public static Task<AioReleaser> AcquireRemotely(ISyncHost host, AioEventLoop home, AioEventLoop? current, CancellationToken cancellationToken)
    {
        var waiter = new SyncWaiter<AioReleaser>(host, current ?? home);
        waiter.Attach();
        if (!waiter.IsPending) return waiter.Task;
        if (cancellationToken.IsCancellationRequested)
            Send(home, host, SyncCommand.AcquireIfFree, waiter, new CancelledRequest(waiter, cancellationToken));
        else
        {
            waiter.Watch(cancellationToken);
            Send(home, host, SyncCommand.Acquire, waiter);
        }
        return waiter.Task;
    }

    /// <summary>Sends a waiter's request to the home loop; a closed home loop fails the waiter instead of leaving it
    /// waiting forever.</summary>
    public static void Send<T>(AioEventLoop home, ILoopWork host, SyncCommand command, SyncWaiter<T> waiter, object? arg = null)
    {
        if (!home.PostThreadsafe(new ReadyItem(host, command, arg ?? waiter))) waiter.Fail(Errors.LoopClosed(home));
    }
}

/// <summary>What a message to a primitive's home loop asks for (slot a of the <see cref="ReadyItem"/>; slot b carries
/// the waiter or argument).</summary>
internal sealed class SyncCommand
{
    public enum Kinds { Acquire, AcquireIfFree, Release, Unlink, Delivered, Refused, Set, Clear, Notify }

    public static readonly SyncCommand Acquire = new(Kinds.Acquire);
    public static readonly SyncCommand AcquireIfFree = new(Kinds.AcquireIfFree);
    public static readonly SyncCommand Release = new(Kinds.Release);
    public static readonly SyncCommand Unlink = new(Kinds.Unlink);
    public static readonly SyncCommand Delivered = new(Kinds.Delivered);
    public static readonly SyncCommand Refused = new(Kinds.Refused);
    public static readonly SyncCommand Set = new(Kinds.Set);
    public static readonly SyncCommand Clear = new(Kinds.Clear);
    public static readonly SyncCommand Notify = new(Kinds.Notify);

    private SyncCommand(Kinds kind) => Kind = kind;

    public Kinds Kind { get; }

    public override string ToString() => Kind.ToString();
}

/// <summary>A waiter sent with a token that was already cancelled: the home loop grants it only if the resource is
/// free at once (a free resource is taken whatever the token says), else fails it with <see cref="Token"/>.</summary>
internal sealed class CancelledRequest(object waiter, CancellationToken token)
{
    public object Waiter { get; } = waiter;
    public CancellationToken Token { get; } = token;
}

/// <summary>A primitive that owns waiters: receives their hooks on its home loop.</summary>
internal interface ISyncHost : ILoopWork
{
    /// <summary>The loop the primitive is bound to (set before any waiter exists).</summary>
    AioEventLoop Home { get; }

    /// <summary>Whether a waiter's successful delivery changes the primitive's state (locks, semaphores).</summary>
    bool TracksDelivery { get; }
}

/// <summary>A primitive acquired one unit at a time (a lock, a semaphore's permit): its state and the two steps that
/// differ between them (test-and-take, check-and-give-back), so that <see cref="SyncHome"/> routes every call the same
/// way. The members run on the home loop, or under <see cref="SyncHome.Gate"/> while unbound.</summary>
internal interface ISyncResource : ISyncHost, ISyncReleasable
{
    /// <summary>The state every such primitive keeps the same way.</summary>
    ref ResourceSlots Slots { get; }

    /// <summary>Unbound (no waiter can exist): takes a unit if one is free; false when the caller would have to wait.</summary>
    bool TryTakeUnbound();

    /// <summary>On the home loop: takes a unit if one is free and no live waiter is ahead (asyncio's fast path).</summary>
    bool TryTakeOnHome();

    /// <summary>On the home loop, for a request from another thread: hands a free unit to <paramref name="waiter"/>
    /// (counted before the wake-up); false when it must queue.</summary>
    bool TryGrant(SyncWaiter<AioReleaser> waiter);

    /// <summary>Unbound: checks the release is valid (throws otherwise) and gives the unit back.</summary>
    void ReleaseUnbound();

    /// <summary>On the home loop: gives the unit back and hands it on; or, when the release is invalid, changes nothing
    /// and returns the error (thrown to a caller, or reported for a release sent from elsewhere).</summary>
    InvalidOperationException? ReleaseOnHome();

    /// <summary>Off the home loop: throws when the state known locally shows the release is invalid.</summary>
    void CheckReleaseRemote();

    /// <summary>A waiter left the queue (cancelled): make sure the next one runs if the unit is free.</summary>
    void OnUnlinked();

    /// <summary>A woken waiter resumed with its unit: it now holds it.</summary>
    void OnDelivered();

    /// <summary>A woken waiter was cancelled before it resumed: its unit goes to the next waiter.</summary>
    void OnRefused();
}

/// <summary>The state an <see cref="ISyncResource"/> keeps for <see cref="SyncHome"/>; a field of the primitive, reached
/// through one ref (no copy, no allocation).</summary>
internal struct ResourceSlots
{
    /// <summary>The home loop, null while no loop has used the primitive.</summary>
    public AioEventLoop? Home;

    /// <summary>The FIFO of acquirers (created on first wait).</summary>
    public WaiterQueue<SyncWaiter<AioReleaser>>? Waiters;

    /// <summary>The cached completed task the uncontended acquire returns.</summary>
    public Task<AioReleaser>? Acquired;
}

/// <summary>Something an <see cref="AioReleaser"/> releases.</summary>
internal interface ISyncReleasable
{
    void Release();
}
