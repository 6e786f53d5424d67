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

/// <summary>Something an <see cref="AioReleaser"/> releases.</summary>
internal interface ISyncReleasable
{
    void Release();
}
